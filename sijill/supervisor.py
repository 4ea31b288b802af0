"""Runs the web server and the background worker together, and stops both together.

Ctrl-C or SIGTERM stops both gracefully (the worker finishes its current task); if either dies on its
own, the other is stopped too and the supervisor exits with the dead one's code, so a service manager
sees the failure instead of a half-running site.
"""

import signal
import subprocess
import time


class Supervisor:
    def __init__(self, commands, *, stop_timeout=30, report=print):
        self.commands = commands  # name -> argv
        self.stop_timeout = stop_timeout
        self.report = report
        self.processes = {}
        self.stop_requested = False

    def _request_stop(self, signum, frame):
        self.stop_requested = True

    def start(self):
        for name, argv in self.commands.items():
            self.processes[name] = subprocess.Popen(argv)

    def all_running(self):
        return all(process.poll() is None for process in self.processes.values())

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + self.stop_timeout
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.report(f"{name} did not stop within {self.stop_timeout} s; killing it.")
                process.kill()
                process.wait()

    def run(self, *, on_started=None):
        previous = {sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            if on_started:
                on_started()
            while not self.stop_requested:
                for name, process in self.processes.items():
                    code = process.poll()
                    if code is not None:
                        self.report(f"{name} exited with code {code}; stopping the others.")
                        self.stop()
                        return code or 1
                time.sleep(0.5)
            self.report("Stopping Sijill ...")
            self.stop()
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
