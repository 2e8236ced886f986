"""Work spread over forked processes: same results, in order, and failures reported, never lost.

Each case runs in a fresh interpreter: the test runner may have threads (browser tests start some),
and a threaded process never forks, it does the work itself."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCENARIOS = textwrap.dedent(
    """
    import gc, os, sys, threading
    from frontline.build.fanout import WorkerError, map_forked

    def divide(n):
        return 1 / (n - 90)

    def die_late(n):
        if n == 99:
            os._exit(7)
        return n

    case = sys.argv[1]
    if case == "threaded":
        threading.Thread(target=threading.Event().wait, daemon=True).start()
    try:
        if case in ("spread", "threaded"):
            results = map_forked(lambda n: (n * n, os.getpid()), list(range(100)), workers=3, min_per_worker=10)
            squares_in_order = [square for square, _ in results] == [n * n for n in range(100)]
            pids = {pid for _, pid in results}
            print(squares_in_order, len(pids), os.getpid() in pids)
        elif case == "frozen":
            frozen = lambda n: (os.getpid(), gc.get_freeze_count())
            counts = map_forked(frozen, list(range(20)), workers=2, min_per_worker=10)
            children = {count for pid, count in counts if pid != os.getpid()}
            print(min(children) > 1000, gc.get_freeze_count())
        elif case == "little":
            pids = map_forked(lambda n: os.getpid(), list(range(15)), workers=4, min_per_worker=10)
            print(set(pids) == {os.getpid()})
        else:
            map_forked({"fails": divide, "dies": die_late}[case], list(range(100)), workers=2, min_per_worker=10)
    except WorkerError as error:
        print("WorkerError:", error)
    """
)


def run(case: str) -> str:
    result = subprocess.run([sys.executable, "-c", SCENARIOS, case], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_results_keep_their_order_and_come_from_several_processes():
    # three processes, this one among them: it takes a share instead of waiting
    assert run("spread") == "True 3 True"


def test_little_work_or_a_threaded_process_stays_in_this_process():
    assert run("little") == "True"
    assert run("threaded") == "True 1 True"


def test_a_failure_in_a_worker_is_raised_here():
    assert run("fails") == "WorkerError: ZeroDivisionError: division by zero"


def test_a_worker_that_dies_is_reported():
    message = run("dies")
    assert message.startswith("WorkerError: Một tiến trình đọc bài dừng đột ngột (mã 7). Máy có thể đã hết bộ nhớ")
    assert "FRONTLINE_WORKERS=1" in message  # what to do about it


def test_children_leave_what_they_inherit_to_the_parent_and_the_parent_takes_it_back():
    """A child's collector skips the objects alive at the fork (it would copy their memory); the parent
    collects its own objects again afterwards (a long preview session must not keep garbage for ever)."""
    assert run("frozen") == "True 0"


FORKED = textwrap.dedent(
    """
    import os, sys, threading, time
    from frontline.build.fanout import AndThen, Forked, WorkerError

    class Refused(Exception):
        def __init__(self, message, code=1):
            super().__init__(message)
            self.code = code

    def refuse():
        raise Refused("không đăng", 3)

    case = sys.argv[1]
    if case == "threaded":
        threading.Thread(target=threading.Event().wait, daemon=True).start()
    if case in ("forked", "threaded"):
        parent = os.getpid()
        with Forked(lambda receive: (os.getpid(), time.sleep(0.3), receive() * 2)) as job:
            started = time.monotonic()
            meanwhile = time.monotonic() - started  # this process went on at once
            job.give(21)
            pid, _, doubled = job.result()
            print(pid != parent, meanwhile < 0.2, job.result()[0] == pid, doubled)
    elif case == "raises":
        try:
            job = Forked(lambda receive: refuse())
            time.sleep(0.3)  # the child stopped before asking for what it is given
            job.give("x" * 1_000_000)
            job.result()
        except Refused as error:
            print(type(error).__name__, error, error.code)
    elif case == "dies":
        try:
            Forked(lambda receive: os._exit(9)).result()
        except WorkerError as error:
            print(error)
    elif case in ("then", "then-threaded"):
        if case == "then-threaded":
            threading.Thread(target=threading.Event().wait, daemon=True).start()
        def write():
            time.sleep(0.3)
            open(sys.argv[2], "w").write("x")
        with Forked(lambda receive: AndThen(receive() + 1, write)) as job:
            job.give(41)
            value = job.result()
            print(value, os.path.exists(sys.argv[2]), end=" ")
        print(os.path.exists(sys.argv[2]))
    elif case == "workers":  # the function forks workers of its own, as verify's content reading does
        from frontline.build.fanout import map_forked
        with Forked(lambda receive: sorted(set(map_forked(lambda n: os.getpid(), list(range(40)), workers=2,
                                                          min_per_worker=10)))) as job:
            print(len(job.result()))
    elif case == "both-full":  # the child fails with more than a pipe holds while this process gives as much
        def fail(receive):
            raise Refused("x" * 300_000)
        with Forked(fail) as job:
            time.sleep(0.2)
            job.give("y" * 3_000_000)
            try:
                job.result()
            except Refused as error:
                print("refused", len(str(error)))
    elif case == "interrupted":
        import signal
        with Forked(lambda receive: receive()) as job:
            time.sleep(0.3)
            try:
                os.killpg(0, signal.SIGINT)  # Ctrl-C: the whole process group
                time.sleep(1)
            except KeyboardInterrupt:
                print("interrupted")
                time.sleep(0.5)  # the child's time to say anything before it is stopped
    elif case == "unread":  # a result larger than a pipe holds, never asked for, nor the work closed
        job = Forked(lambda receive: "x" * 3_000_000)
        time.sleep(0.3)
        print("leaving")
        raise KeyboardInterrupt  # as Ctrl-C during a build: no engine hook closes the work
    elif case == "orphaned":  # the parent is gone when the child has its result (Ctrl-C killed it)
        job = Forked(lambda receive: (time.sleep(0.5), "x" * 3_000_000)[1])
        print(job._child.pid, flush=True)
        os._exit(0)
    elif case == "left":
        with Forked(lambda receive: (receive(), open(sys.argv[2], "w").write("x"))) as job:
            child = job._child.pid
        try:
            os.kill(child, 0)
            print("still running")
        except ProcessLookupError:
            print("stopped", os.path.exists(sys.argv[2]))
    """
)


def forked(case: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", FORKED, case, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_forked_work_runs_in_a_child_while_this_process_goes_on_and_in_this_one_when_threaded():
    assert forked("forked") == "True True True 42"
    assert forked("threaded") == "False True True 42"


def test_forked_work_raises_here_what_it_raised_there_with_its_attributes_even_before_it_was_given_its_input():
    assert forked("raises") == "Refused không đăng 3"


def test_forked_work_whose_process_dies_is_reported_and_work_left_unread_is_stopped(tmp_path):
    assert forked("dies").startswith("Một tiến trình kiểm tra dừng đột ngột (mã 9).")
    assert forked("left", str(tmp_path / "written")) == "stopped False"


def test_forked_work_gives_its_result_before_what_it_does_after_which_is_done_when_it_closes(tmp_path):
    assert forked("then", str(tmp_path / "a")) == "42 False True"
    assert forked("then-threaded", str(tmp_path / "b")) == "42 True True"  # here, in order


def test_forked_work_may_fork_workers_of_its_own():
    assert forked("workers") == "2"


def test_forked_work_failing_with_much_to_say_while_given_much_ends():
    """Neither process waits for the other: the child stops reading before it tells its failure."""
    assert forked("both-full") == "refused 300000"


def test_ctrl_c_stops_forked_work_with_no_second_traceback():
    result = subprocess.run(
        [sys.executable, "-c", FORKED, "interrupted"],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert result.stdout.strip() == "interrupted", (result.returncode, result.stderr)  # what it said, if it fails
    assert "Traceback" not in result.stderr, result.stderr


def test_forked_work_never_read_does_not_keep_the_process_from_exiting():
    """A child blocked sending a result nobody reads (more than a pipe holds) is stopped as the process exits:
    multiprocessing would otherwise wait for it at exit while it waits for this process."""
    result = subprocess.run([sys.executable, "-c", FORKED, "unread"], capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "leaving" and "KeyboardInterrupt" in result.stderr


def test_forked_work_whose_parent_is_gone_ends_without_a_traceback():
    child = subprocess.Popen([sys.executable, "-c", FORKED, "orphaned"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate(timeout=30)  # the child's stderr is inherited: its traceback would be read here
    assert int(out.strip()) > 0 and b"Traceback" not in err, err
