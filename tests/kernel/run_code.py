"""Runs code in a new kernel of a running Jupyter server, over its REST API and websocket.

Reads {"url": "http://127.0.0.1:PORT", "token": "...", "code": "..."} as JSON on stdin (never
the command line) and prints {"kernelspecs": {...}, "kernel": NAME, "stdout": ..., "error": ...,
"displays": [the MIME types of each display]}.
Uses only tornado, which every Jupyter server environment has.
"""
import asyncio
import json
import sys
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect


async def main():
    ask = json.load(sys.stdin)
    base, token = ask["url"].rstrip("/"), ask["token"]
    headers = {"Authorization": f"token {token}"}
    http = AsyncHTTPClient()
    specs = json.loads((await http.fetch(f"{base}/api/kernelspecs", headers=headers)).body)
    kernel = json.loads(
        (await http.fetch(f"{base}/api/kernels", method="POST", body="{}", headers=headers)).body
    )
    ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel['id']}/channels"
    ws = await websocket_connect(HTTPRequest(ws_url, headers=headers))
    msg_id = uuid.uuid4().hex
    await ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": ask["code"], "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False},
    }))
    out, error, displays = [], None, []
    while True:
        msg = json.loads(await asyncio.wait_for(ws.read_message(), 120))
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "stream":
            out.append(msg["content"]["text"])
        elif kind == "display_data":
            displays.append(sorted(msg["content"]["data"]))
        elif kind == "error":
            error = msg["content"]["ename"] + ": " + msg["content"]["evalue"]
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    ws.close()
    await http.fetch(f"{base}/api/kernels/{kernel['id']}", method="DELETE", headers=headers)
    print(json.dumps({"kernelspecs": specs, "kernel": kernel["name"], "stdout": "".join(out),
                      "error": error, "displays": displays}))


asyncio.run(main())
