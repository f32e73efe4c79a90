"""Benchmark: warm `darwinix start` until ready, against bare `jupyter lab` until ready, in the
same venv, alternating runs. Baseline (issue [3/7]): bare JupyterLab; target: <= 1.05x.

"Ready" for bare JupyterLab = its runtime file names the port and GET /api/status with the
token answers 200 (what Darwinix waits for too). Usage: bench/start.py DARWINIX PROJECT [RUNS]
"""
import glob, json, os, secrets, statistics, subprocess, sys, tempfile, time, urllib.request

darwinix, project = sys.argv[1], os.path.abspath(sys.argv[2])
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
jupyter = os.path.join(project, ".venv", "bin", "jupyter-lab")
root = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []


def bare():
    token = secrets.token_hex(24)
    with tempfile.TemporaryDirectory() as runtime:
        env = dict(os.environ, JUPYTER_TOKEN=token, JUPYTER_RUNTIME_DIR=runtime)
        t0 = time.perf_counter()
        p = subprocess.Popen([jupyter, "--no-browser", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=0",
                              f"--ServerApp.root_dir={project}", *root], env=env, cwd=project,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            files = glob.glob(os.path.join(runtime, f"jpserver-{p.pid}.json"))
            if files:
                try:
                    port = json.load(open(files[0]))["port"]
                    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"})
                    if urllib.request.urlopen(req, timeout=5).status == 200:
                        break
                except Exception:
                    pass
            time.sleep(0.02)
        elapsed = time.perf_counter() - t0
        p.terminate()
        p.wait()
        return elapsed


def darwinix_start():
    t0 = time.perf_counter()
    subprocess.run([darwinix, "start", project, "--no-browser", "--json"], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    subprocess.run([darwinix, "stop", project], check=True, stdout=subprocess.DEVNULL)
    return elapsed


subprocess.run([darwinix, "setup", project], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
bare(), darwinix_start()  # warm both: page cache, bytecode
b, d = [], []
for _ in range(runs):
    b.append(bare())
    d.append(darwinix_start())
mb, md = statistics.median(b), statistics.median(d)
ratio = md / mb
print(f"\nStart until ready, {runs} alternating runs; baseline: bare `jupyter lab` in the same venv; target <= 1.05x\n")
print("| case | median s | min s | max s | vs bare | target | verdict |")
print("|---|---:|---:|---:|---:|---:|---|")
print(f"| bare jupyter lab | {mb:.3f} | {min(b):.3f} | {max(b):.3f} | 1.00x | — | — |")
verdict = "meets target" if ratio <= 1.05 else "MISSES target"
print(f"| darwinix start (warm) | {md:.3f} | {min(d):.3f} | {max(d):.3f} | {ratio:.3f}x | 1.05x | {verdict} |")
sys.exit(0 if ratio <= 1.05 else 1)
