#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The applications reset_busy_netns.sh resets: an echo or sink server, and clients that
keep talking (one byte every INTERVAL seconds, read back; or a bulk send). A client prints
its local port first, then how it ended: ECONNRESET (exit 0), SURVIVED (exit 1, still
talking after SECONDS), or another error (exit 2).

usage: reset_peers.py echo-server|sink-server HOST PORT
       reset_peers.py echo-client HOST PORT INTERVAL SECONDS
       reset_peers.py bulk-client HOST PORT SECONDS
"""
import errno
import socket
import sys
import threading
import time


def serve(host, port, echo, record=None):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(64)
    print("listening", flush=True)

    lock = threading.Lock()

    def one(conn, peer):
        got = b""
        outcome = "eof"
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                got += data
                if echo:
                    conn.sendall(data)
        except ConnectionResetError:
            outcome = "ECONNRESET"
        except OSError as e:
            outcome = errno.errorcode.get(e.errno, str(e.errno))
        finally:
            conn.close()
        if record:
            with lock, open(record, "a") as f:
                f.write("%d %s %s\n" % (peer[1], outcome, got.hex() or "-"))

    while True:
        conn, peer = listener.accept()
        threading.Thread(target=one, args=(conn, peer), daemon=True).start()


def client(host, port, seconds, step):
    s = socket.create_connection((host, port), timeout=10)
    s.settimeout(10)
    print(s.getsockname()[1], flush=True)
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            step(s)
    except ConnectionResetError:
        print("ECONNRESET", flush=True)
        return 0
    except OSError as e:
        print("ERROR", errno.errorcode.get(e.errno, e.errno), flush=True)
        return 2
    print("SURVIVED", flush=True)
    return 1


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode in ("echo-server", "sink-server"):
        serve(host, port, mode == "echo-server")
    elif mode == "record-server":
        serve(host, port, True, sys.argv[4])
    elif mode == "echo-client":
        interval, seconds = float(sys.argv[4]), float(sys.argv[5])

        def echo_once(s):
            s.sendall(b"x")
            if not s.recv(1):
                raise OSError(errno.ENOTCONN, "EOF")
            time.sleep(interval)

        sys.exit(client(host, port, seconds, echo_once))
    elif mode == "bulk-client":
        chunk = b"b" * 65536
        sys.exit(client(host, port, float(sys.argv[4]), lambda s: s.sendall(chunk)))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
