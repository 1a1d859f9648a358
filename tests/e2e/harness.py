"""What every end-to-end script here shares: running a tool and failing with a message.

A case prints what it found and exits non-zero (through fail) when the behaviour is wrong;
ctest reads the exit code."""
import subprocess
import sys


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def run(*args, check=True, env=None):
    """Runs a command, capturing its text output; with check, a non-zero exit fails the case."""
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        fail(f'{" ".join(args)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}')
    return p
