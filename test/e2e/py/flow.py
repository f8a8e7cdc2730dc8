#!/usr/bin/python3
"""Runs tolk's asynchronous process-API flow with python-socketio (Debian's
python3-socketio) and prints one JSON line describing it.

usage: /usr/bin/python3 flow.py URL TOKEN PROJECT_ID TENANT KIND TRANSPORT OUT_ZIP
  KIND is targets, sources or pseudo; TRANSPORT is websocket or polling.

Exit codes: 0 the ZIP was saved; 3 the export failed (downloadId held a
message, printed as "error"); 1 anything else (printed as "fatal").
"""
import json
import os
import re
import sys
import threading
import time

import requests
import socketio

EVENTS = {
    "targets": "process_export_target",
    "sources": "process_export_source",
    "pseudo": "process_export_pseudo",
}
TIMEOUT = 30.0


def ms(seconds):
    return round(seconds * 1000, 1)


def fail(result, message):
    result["fatal"] = message
    print(json.dumps(result), flush=True)
    quit_now(1)


def main():
    if len(sys.argv) != 8 or sys.argv[5] not in EVENTS or sys.argv[6] not in ("websocket", "polling"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    url, token, project_arg, tenant, kind, transport, out = sys.argv[1:]
    project_id = int(project_arg)
    event = EVENTS[kind]
    result = {"kind": kind, "transport": transport, "event": event}
    auth = {"Authorization": "Bearer " + token}

    sio = socketio.Client(reconnection=False)
    # Registered before the request: a small export may end before the 202 arrives.
    seen = threading.Event()
    got = {}

    @sio.on(event)
    def on_done(payload):
        got["at"] = time.perf_counter()
        got["payload"] = payload
        seen.set()

    try:
        sio.connect(url, auth={"token": token}, transports=[transport], wait_timeout=10)
    except socketio.exceptions.ConnectionError as err:
        fail(result, "connect: %s" % err)
    result["socketTransport"] = sio.transport()

    try:
        ack = sio.call("joinProcessRoom", {"projectId": project_id, "tenantId": tenant}, timeout=5)
    except socketio.exceptions.TimeoutError:
        fail(result, "joinProcessRoom: no ack")
    result["joinAck"] = ack
    if not isinstance(ack, dict) or ack.get("ok") is not True:
        fail(result, "joinProcessRoom refused: %r" % (ack,))

    start = time.perf_counter()
    resp = requests.post("%s/api/projects/%d/process/%s" % (url, project_id, kind), headers=auth, timeout=10)
    result["acceptMs"] = ms(time.perf_counter() - start)
    result["acceptStatus"] = resp.status_code
    result["acceptLocation"] = resp.headers.get("Location")
    try:
        result["acceptBody"] = resp.json()
    except ValueError:
        result["acceptBody"] = None
    if resp.status_code != 202:
        fail(result, "POST process/%s: status %d" % (kind, resp.status_code))

    if not seen.wait(TIMEOUT):
        fail(result, "no %s event within %.0f s" % (event, TIMEOUT))
    result["eventMs"] = ms(got["at"] - start)
    payload = got["payload"]
    result["payload"] = payload
    download_id = payload.get("downloadId") if isinstance(payload, dict) else None
    result["downloadId"] = download_id
    if not isinstance(download_id, str):
        fail(result, "downloadId is not a string: %r" % (download_id,))
    if not re.fullmatch(r"[0-9]+", download_id):
        result["error"] = download_id
        leave(sio, project_id, result)
        print(json.dumps(result), flush=True)
        quit_now(3)

    dl_start = time.perf_counter()
    zip_resp = requests.get("%s/api/projects/%d/downloads/%d" % (url, project_id, int(download_id)),
                            headers=auth, timeout=30)
    result["downloadMs"] = ms(time.perf_counter() - dl_start)
    result["downloadStatus"] = zip_resp.status_code
    result["downloadType"] = zip_resp.headers.get("Content-Type")
    result["downloadLength"] = zip_resp.headers.get("Content-Length")
    if zip_resp.status_code != 200:
        fail(result, "GET downloads/%s: status %d: %s" % (download_id, zip_resp.status_code, zip_resp.text))
    with open(out, "wb") as f:
        f.write(zip_resp.content)
    result["size"] = len(zip_resp.content)

    leave(sio, project_id, result)
    print(json.dumps(result), flush=True)
    quit_now(0)


def quit_now(code):
    """Exits without joining python-engineio's background threads.

    python-engineio 4.3.4 (Debian bookworm) drops the Engine.IO close packet
    when its write loop is still posting the namespace disconnect, so over
    polling its read loop then waits for the pending GET until the server's
    next ping (25 s) before the interpreter can exit. The flow is over and
    reported by then.
    """
    sys.stdout.flush()
    os._exit(code)


def leave(sio, project_id, result):
    """Emits leaveProcessRoom with the bare project id, as existing clients do."""
    try:
        result["leaveAck"] = sio.call("leaveProcessRoom", project_id, timeout=5)
    except socketio.exceptions.TimeoutError:
        fail(result, "leaveProcessRoom: no ack")
    sio.disconnect()


if __name__ == "__main__":
    main()
