"""Shared pieces of the peer implementations: the PBGDMAT1 matrix format, the split, the cleaning metrics, the
trajectory file and the report of which BLAS the process loaded.

PBGDMAT1 (written by benchmarks/Pbgd.Benchmarks/PeerData.cs): 8 ASCII bytes "PBGDMAT1", int32 rows, int32
columns (little-endian), then rows*columns float64 little-endian, row-major. Labels and the clean mask are
rows x 1 float64 (labels 0..c-1, mask 1 = clean).
"""

import csv
import json
import os
import platform
import sys
import time

import numpy as np

MAGIC = b"PBGDMAT1"


def read_matrix(path):
    with open(path, "rb") as f:
        header = f.read(16)
        if len(header) != 16 or header[:8] != MAGIC:
            raise ValueError(f"{path} is not a PBGDMAT1 file")
        rows, cols = np.frombuffer(header[8:], dtype="<i4")
        data = np.fromfile(f, dtype="<f8")
    if data.size != rows * cols:
        raise ValueError(f"{path}: header says {rows}x{cols}, the file has {data.size} values")
    return data.reshape(int(rows), int(cols))


def write_matrix(path, a):
    a = np.ascontiguousarray(np.atleast_2d(np.asarray(a, dtype="<f8")))
    if a.ndim != 2:
        raise ValueError("write_matrix takes a vector or a matrix")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(np.array(a.shape, dtype="<i4").tobytes())
        f.write(a.tobytes())
    os.replace(tmp, path)


class Split:
    """One prepared split (x_train, y_train, labels_train, clean, x_val, y_val, x_test, labels_test)."""

    def __init__(self, directory):
        self.directory = directory
        with open(os.path.join(directory, "manifest.json")) as f:
            self.manifest = json.load(f)
        r = lambda name: read_matrix(os.path.join(directory, name + ".f64"))
        self.x_train, self.y_train = r("x_train"), r("y_train")
        self.labels_train = r("labels_train")[:, 0].astype(np.int64)
        self.clean = r("clean")[:, 0] != 0
        self.x_val, self.y_val = r("x_val"), r("y_val")
        self.labels_val = np.argmax(self.y_val, axis=1)
        self.x_test = r("x_test")
        self.labels_test = r("labels_test")[:, 0].astype(np.int64)


def cleaning_f1(u, clean):
    """Predicted clean when u_i >= 0; F1 of that prediction against the true clean mask (Pbgd's CleaningMetrics)."""
    predicted = np.asarray(u) >= 0
    tp = int(np.count_nonzero(predicted & clean))
    fp = int(np.count_nonzero(predicted & ~clean))
    fn = int(np.count_nonzero(~predicted & clean))
    precision = 0.0 if tp + fp == 0 else tp / (tp + fp)
    recall = 0.0 if tp + fn == 0 else tp / (tp + fn)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def accuracy(scores, labels):
    """Fraction of rows whose first highest score is the label."""
    return float(np.mean(np.argmax(np.asarray(scores), axis=1) == labels))


TRAJECTORY_COLUMNS = ["iteration", "seconds", "gamma", "step", "upper", "lower", "lower_optimal", "penalized",
                      "test_accuracy", "clean_f1"]


class Trajectory:
    """Rows of the trajectory file, with the same column names as Pbgd's trajectory.csv."""

    def __init__(self):
        self.rows = []

    def add(self, **values):
        self.rows.append([values.get(c, "") for c in TRAJECTORY_COLUMNS])

    def write(self, path):
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(TRAJECTORY_COLUMNS)
            for row in self.rows:
                w.writerow([repr(float(x)) if isinstance(x, (float, np.floating)) else x for x in row])


def blas_report():
    """Which BLAS/LAPACK and OpenMP runtimes this process has loaded, with OpenBLAS's chosen kernel (core type)."""
    report = {"python": sys.version.split()[0], "executable": sys.executable, "numpy": np.__version__,
              "machine": platform.machine(),
              "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                                     "OMP_NUM_THREADS", "MKL_NUM_THREADS")}}
    try:
        from threadpoolctl import threadpool_info
        report["threadpoolctl"] = threadpool_info()
    except ImportError:
        report["threadpoolctl"] = "threadpoolctl not installed"
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                base = os.path.basename(path)
                if any(k in base for k in ("blas", "lapack", "mkl", "omp", "gomp")):
                    libs.add(path)
    except OSError:
        pass
    report["loaded_libraries"] = sorted(libs)
    # What numpy was built against (Debian: the generic libblas.so.3/liblapack.so.3, resolved at run time through
    # the alternatives system, hence the loaded libraries above).
    import contextlib
    import io
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        np.show_config()
    report["numpy_show_config"] = text.getvalue()
    blas = [l.strip() for l in text.getvalue().splitlines() if l.strip().startswith("libraries")]
    report["numpy_built_against"] = blas[0] if blas else "unknown"
    return report


def blas_summary(report):
    """One line: library, version, kernel (core type), threading, threads."""
    info = report.get("threadpoolctl")
    if isinstance(info, list):
        parts = []
        for i in info:
            if i.get("user_api") == "blas":
                parts.append(f"{i.get('internal_api')} {i.get('version')} ({os.path.basename(i.get('filepath', ''))}), "
                             f"kernel {i.get('architecture')}, {i.get('threading_layer')}, {i.get('num_threads')} threads")
        if parts:
            return "; ".join(parts)
    return ", ".join(os.path.basename(p) for p in report.get("loaded_libraries", [])) or "unknown"


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2, default=str)
    os.replace(tmp, path)


def clock():
    return time.perf_counter()
