"""TF-IDF (word and character n-grams) with one logistic regression per label.

Word n-grams carry the readable evidence; character n-grams absorb typos, elongation and
affixes (me-/di-/-kan) that word features split apart. Class weights counter the imbalance of
rare labels such as intimidation and money politics.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import joblib
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .labels import LABEL_INDEX, LABELS
from .modeldir import ModelDir
from .normalize import normalize

# Function words are kept as features (negation and particles carry meaning: "kalau tidak pilih")
# but a term made only of them explains nothing to a reader, so evidence skips it.
FUNCTION_WORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "ini",
        "itu",
        "untuk",
        "dengan",
        "tidak",
        "buat",
        "sudah",
        "ada",
        "juga",
        "saya",
        "kami",
        "kita",
        "mereka",
        "akan",
        "pada",
        "dalam",
        "atau",
        "karena",
        "jadi",
        "sih",
        "kok",
        "ya",
        "aja",
        "saja",
        "lagi",
        "bisa",
        "kalau",
        "tapi",
        "nya",
        "pun",
        "lah",
        "dong",
        "kan",
        "mau",
        "oleh",
        "bahwa",
        "sebagai",
        "para",
    ]
)


class TfidfModel:
    folds_temperature = False
    exportable = False
    has_engine_settings = False
    cheap_evidence = True
    swaps_per_epoch = False

    def __init__(self, word: TfidfVectorizer, char: TfidfVectorizer, coef: np.ndarray, intercept: np.ndarray):
        self.word, self.char, self.coef, self.intercept = word, char, coef, intercept

    @classmethod
    def fit(
        cls,
        texts: list[str],
        y: np.ndarray,
        cfg,
        *,
        mask: np.ndarray | None = None,
        dev: tuple[list[str], np.ndarray] | None = None,
        out_dir: Path | None = None,
        resume: bool = False,
    ) -> TfidfModel:
        """One logistic regression per label on word and character tf-idf; `dev`, `out_dir` and `resume` are unused."""
        prep = partial(normalize, slang=cfg.slang, lowercase=True)
        word = TfidfVectorizer(
            preprocessor=prep,
            ngram_range=(1, cfg.tfidf_word_ngrams),
            min_df=cfg.tfidf_min_df,
            sublinear_tf=True,
            max_features=cfg.tfidf_max_features,
            token_pattern=r"(?u)\b\w\w+\b",
        )
        char = TfidfVectorizer(
            preprocessor=prep,
            analyzer="char_wb",
            ngram_range=tuple(cfg.tfidf_char_ngrams),
            min_df=cfg.tfidf_min_df,
            sublinear_tf=True,
            max_features=cfg.tfidf_max_features,
        )
        x = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
        known = np.ones_like(y, dtype=bool) if mask is None else np.asarray(mask, bool)
        coefs, intercepts = [], []
        for j in range(y.shape[1]):
            # Partial labels: each label's classifier sees only the rows whose source speaks about it.
            rows = np.flatnonzero(known[:, j])
            clf = LogisticRegression(C=cfg.tfidf_C, class_weight="balanced", max_iter=2000, random_state=cfg.seed)
            clf.fit(x[rows], y[rows, j])
            coefs.append(clf.coef_[0])
            intercepts.append(clf.intercept_[0])
        return cls(word, char, np.vstack(coefs), np.array(intercepts))

    def _features(self, texts: list[str]):
        return hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()

    def logits(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._features(texts) @ self.coef.T) + self.intercept

    def evidence(self, texts: list[str], labels: list[list[str]], top: int = 5) -> list[dict[str, list[str]]]:
        """Word n-grams with the largest positive contribution (tf-idf x weight) to each label."""
        xw = self.word.transform(texts).tocsr()
        names = self.word.get_feature_names_out()
        n_word = len(names)
        out = []
        for i, labs in enumerate(labels):
            row = xw.getrow(i)
            ev = {}
            for lab in labs:
                contrib = row.data * self.coef[LABEL_INDEX[lab], :n_word][row.indices]
                order = np.argsort(-contrib)
                terms = (str(names[row.indices[k]]) for k in order if contrib[k] > 0)
                ev[lab] = [t for t in terms if not set(t.split()) <= FUNCTION_WORDS][:top]
            out.append(ev)
        return out

    def save(self, directory: Path) -> None:
        joblib.dump(
            {"word": self.word, "char": self.char, "coef": self.coef, "intercept": self.intercept, "labels": LABELS},
            ModelDir(directory).tfidf,
        )

    @classmethod
    def load(cls, directory: Path) -> TfidfModel:
        # joblib unpickles: load model directories only from sources you trust.
        d = joblib.load(ModelDir(directory).tfidf)
        return cls(d["word"], d["char"], d["coef"], d["intercept"])
