"""The alt-profanity-check model, loaded once, asked for many texts at a time.

The package ships a TF-IDF vectoriser and a calibrated linear SVM (five folds, sigmoid calibration) in
its wheel; nothing is downloaded. Its own predict_prob goes through scikit-learn's validation for every
call, which costs about 3 ms a text; the model is linear, so after the vectoriser this module computes
the same probability itself from the folds' weights (a dot product over the few words a comment has) in
microseconds. model_probabilities() falls back to scikit-learn's path if the model is not shaped as
expected, and the tests check both agree.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()


@dataclass(frozen=True)
class _Fold:
    weights: Any  # a dense array of one weight per vocabulary entry
    intercept: float
    a: float
    b: float


@dataclass(frozen=True)
class _Model:
    vectorizer: Any
    model: Any
    folds: tuple[_Fold, ...]


@functools.cache
def _load() -> _Model:
    with _lock:
        # The package loads its joblib files when imported (about a second), so only on first use.
        from profanity_check import profanity_check

        vectorizer, model = profanity_check.vectorizer, profanity_check.model
        folds: list[_Fold] = []
        try:
            for calibrated in model.calibrated_classifiers_:
                if calibrated.method != "sigmoid" or len(calibrated.calibrators) != 1:
                    raise ValueError(calibrated.method)
                calibrator = calibrated.calibrators[0]
                estimator = calibrated.estimator
                folds.append(
                    _Fold(
                        weights=estimator.coef_.ravel(),
                        intercept=float(estimator.intercept_[0]),
                        a=float(calibrator.a_),
                        b=float(calibrator.b_),
                    )
                )
        except (AttributeError, ValueError, IndexError):
            folds = []
        return _Model(vectorizer, model, tuple(folds))


def warm_up() -> None:
    """Load the model now rather than on the first comment (a second's work)."""
    _load()


def model_probabilities(texts: Sequence[str]) -> list[float]:
    """The probability that each text is offensive, by scikit-learn's own predict_proba."""
    loaded = _load()
    if not texts:
        return []
    return [float(p) for p in loaded.model.predict_proba(loaded.vectorizer.transform(list(texts)))[:, 1]]


def probabilities(texts: Sequence[str]) -> list[float]:
    """The probability that each text is offensive (profanity, insults), in [0, 1]."""
    loaded = _load()
    if not texts:
        return []
    if not loaded.folds:
        return model_probabilities(texts)
    matrix = loaded.vectorizer.transform(list(texts)).tocsr()
    results: list[float] = []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns, values = matrix.indices[start:end], matrix.data[start:end]
        total = 0.0
        for fold in loaded.folds:
            decision = float(values @ fold.weights[columns]) + fold.intercept if end > start else fold.intercept
            total += 1.0 / (1.0 + math.exp(fold.a * decision + fold.b))
        results.append(total / len(loaded.folds))
    return results
