"""The alt-profanity-check model, without scikit-learn in the server's processes.

The package ships a TF-IDF vectoriser and a calibrated linear SVM (five folds, sigmoid calibration) in
its wheel; nothing is downloaded. Loading it means importing scikit-learn and SciPy, about 100 MB in
every process that posts comments, for a model that is a word list with weights: a comment's
probability is, per fold, a sigmoid of a dot product between its words' TF-IDF weights and the fold's
weights, averaged over the folds.

So the model is read once, by a short-lived subprocess that does import scikit-learn, and written as a
plain table (each word's IDF and its five fold weights, and each fold's intercept and calibration) to
DATA_DIR/cache/, named after the package's version. Server processes load that table (~3 MB: the words
and one flat array of doubles) and compute the same probability in pure Python. Where the table cannot be made (no
writable data directory, an unexpected model shape), the model is loaded in-process, as the package
itself would, so the signal never goes missing. model_probabilities() is the package's own path; the
tests check both agree.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
_lock = threading.Lock()
# The vectoriser's own token pattern and lower-casing (its stop words are not in its vocabulary, so
# leaving them in changes nothing).
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
TABLE_FORMAT = 2  # 2: header, words, raw doubles (1 was one JSON document)


@dataclass(frozen=True)
class _Table:
    """Each word's row number, and the rows one after another in a flat array of doubles: a row is the
    word's IDF, then its weight in each fold. ~2 MB a process, where a dict of tuples of Python floats
    took ~8 MB."""

    rows: dict[str, int]
    values: array[float]
    width: int  # 1 + the number of folds
    # per fold: (intercept, a, b) of decision = w·x + intercept, p = 1 / (1 + exp(a·decision + b))
    folds: tuple[tuple[float, float, float], ...]

    def value(self, word: str, column: int) -> float:
        return self.values[self.rows[word] * self.width + column]


def export_table(path: Path) -> None:
    """Write the model as a plain table to `path` (run in a subprocess: it imports scikit-learn)."""
    from profanity_check import profanity_check

    vectorizer, model = profanity_check.vectorizer, profanity_check.model
    params = vectorizer.get_params()
    expected = {"lowercase": True, "ngram_range": (1, 1), "norm": "l2", "use_idf": True, "sublinear_tf": False}
    if any(params.get(name) != value for name, value in expected.items()) or params.get("analyzer") != "word":
        raise ValueError(f"the vectoriser is not shaped as expected: {params}")
    if params.get("token_pattern") != _TOKEN.pattern or params.get("tokenizer") or params.get("preprocessor"):
        raise ValueError("the vectoriser tokenises differently")
    folds, weights = [], []
    for calibrated in model.calibrated_classifiers_:
        if calibrated.method != "sigmoid" or len(calibrated.calibrators) != 1:
            raise ValueError(f"a fold is calibrated by {calibrated.method}")
        calibrator, estimator = calibrated.calibrators[0], calibrated.estimator
        folds.append((float(estimator.intercept_[0]), float(calibrator.a_), float(calibrator.b_)))
        weights.append(estimator.coef_.ravel())
    idf = vectorizer.idf_
    words = sorted(vectorizer.vocabulary_.items())
    values = array("d")
    for _word, column in words:
        values.extend([float(idf[column]), *(float(fold[column]) for fold in weights)])
    header = {"format": TABLE_FORMAT, "folds": folds, "count": len(words), "byteorder": sys.byteorder}
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as out:
        # Three parts: a JSON header line, the words on one tab-separated line (a token is \w\w+, so it
        # holds neither tab nor newline), and the rows as raw doubles, read back without a Python float
        # for each value (a JSON table cost each process ~8 MB to parse).
        out.write(json.dumps(header).encode() + b"\n")
        out.write("\t".join(word for word, _column in words).encode() + b"\n")
        out.write(values.tobytes())
    os.replace(out.name, path)  # atomic: another process never reads half a table


def _table_path() -> Path | None:
    try:
        from django.conf import settings

        base = Path(settings.DATA_DIR)
    except Exception:
        return None
    version = metadata.version("alt-profanity-check")
    return base / "cache" / f"profanity-model-{version}-v{TABLE_FORMAT}.table"


def _read_table(path: Path) -> _Table:
    data = path.read_bytes()
    header_end = data.index(b"\n")
    words_end = data.index(b"\n", header_end + 1)
    header = json.loads(data[:header_end])
    if header.get("format") != TABLE_FORMAT:
        raise ValueError("an older table")
    folds = tuple((float(a), float(b), float(c)) for a, b, c in header["folds"])
    words = data[header_end + 1 : words_end].decode().split("\t")
    values = array("d")
    values.frombytes(data[words_end + 1 :])
    if header.get("byteorder") != sys.byteorder:
        values.byteswap()
    width = 1 + len(folds)
    if len(words) != header["count"] or len(values) != width * len(words):
        raise ValueError(f"the table at {path} is cut short or malformed")
    return _Table(rows={word: row for row, word in enumerate(words)}, values=values, width=width, folds=folds)


@functools.cache
def _load_table() -> _Table | None:
    with _lock:
        path = _table_path()
        if path is None:
            return None
        try:
            if not path.exists():
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        f"from {__name__} import export_table; import pathlib, sys; "
                        "export_table(pathlib.Path(sys.argv[1]))",
                        str(path),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
            return _read_table(path)
        except Exception:
            logger.warning("moderation: no compact profanity table at %s; loading the model in-process", path)
            return None


def prepare_table() -> None:
    """Write the compact table now if it is missing. `talkies serve` calls this once before its web workers
    start: otherwise each of them would run the exporting subprocess at once on a fresh data directory,
    two copies of scikit-learn (about 110 MB each) side by side at the node's busiest moment."""
    _load_table()


@functools.cache
def _sklearn_model() -> tuple[Any, Any]:
    with _lock:
        from profanity_check import profanity_check

        return profanity_check.vectorizer, profanity_check.model


def warm_up() -> None:
    """Load the model now rather than on the first comment."""
    if _load_table() is None:
        _sklearn_model()


def model_probabilities(texts: Sequence[str]) -> list[float]:
    """The probability that each text is offensive, by scikit-learn's own predict_proba."""
    if not texts:
        return []
    vectorizer, model = _sklearn_model()
    return [float(p) for p in model.predict_proba(vectorizer.transform(list(texts)))[:, 1]]


def probabilities(texts: Sequence[str]) -> list[float]:
    """The probability that each text is offensive (profanity, insults), in [0, 1]."""
    table = _load_table()
    if table is None:
        return model_probabilities(texts)
    return [_probability(table, text) for text in texts]


def _probability(table: _Table, text: str) -> float:
    counts = Counter(token for token in _TOKEN.findall(text.lower()) if token in table.rows)
    weighted = {word: count * table.value(word, 0) for word, count in counts.items()}
    norm = math.sqrt(sum(value * value for value in weighted.values()))
    total = 0.0
    for index, (intercept, a, b) in enumerate(table.folds, start=1):
        decision = intercept
        if norm:
            decision += sum(value * table.value(word, index) for word, value in weighted.items()) / norm
        total += 1.0 / (1.0 + math.exp(min(a * decision + b, 700.0)))
    return total / len(table.folds)
