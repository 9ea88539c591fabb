#!/usr/bin/env python3
# creds_pty.py: run a command on a pseudo-terminal, answer its prompts in
# order (waiting for each prompt text first: no timing guesses), and save
# everything the terminal showed. Usage: creds_pty.py CAPTURE SCRIPT -- CMD...
# SCRIPT lines are "prompt substring<TAB>answer".
import os, pty, select, sys, time

def main():
    capture, script = sys.argv[1], sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    steps = [l.rstrip("\n").split("\t", 1) for l in open(script) if l.strip()]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen, pos = b"", 0
    def read_some(deadline):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
        if not r:
            return False
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        seen += data
        return True
    for want, answer in steps:
        deadline = time.time() + 20
        while want.encode() not in seen[pos:]:
            if not read_some(deadline):
                sys.stderr.write("prompt %r never came; screen: %r\n" % (want, seen))
                os.kill(pid, 9)
                sys.exit(3)
        pos = seen.index(want.encode(), pos) + len(want)
        os.write(fd, answer.encode() + b"\n")
    deadline = time.time() + 20
    while read_some(deadline):
        pass
    _, status = os.waitpid(pid, 0)
    open(capture, "wb").write(seen)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 4)

main()
