"""The learned part of the case router: which unit handled texts like this one (no Django).

The duty-clause retrieval (``router``) knows what each unit must do; it does not know how
citizens describe it, nor which unit a bureau actually gives a kind of complaint. This
part learns that from labelled complaints: the shipped base set and, above all, the
bureau's own decisions (every case its dispatchers assign or reassign).

- Features: the character n-grams (1 to 3 characters) of each run of letters and digits,
  weighted tf-idf with a sublinear count. Character n-grams need no word segmentation:
  "烧烤摊" shares "烧烤" with "露天烧烤", and a word the segmenter does not know costs
  nothing. Numbers are folded to "0" (house numbers and dates say nothing of the unit).
  Measured on the tune rows (5 folds): adding jieba's words to the n-grams, or words and
  word pairs alone, did not route better (36 % and 35 % against 37 % on the real set).
  Nor did (issue 23, second round, same folds; the learned part alone 30 % on the
  sample set, 37 % on the real set; the combined router without dispute 69 % / 36 %):
  the duty clauses' sentences as extra examples of their unit (weight 0.3, 1 or 3;
  leading sentences only; whole items), balanced class weights, C 10 or 100, the
  router_lexicon concepts a text mentions as extra features. Each moved the learned
  part alone by up to 5 points on one set but the combined router without dispute by
  at most 1.6 points either way (two or three rows), and at an equal disputed share
  none made fewer wrong leads on both sets.
- Model: a multinomial logistic regression (scikit-learn, at training only), whose
  probabilities are then calibrated by one temperature fitted on out-of-fold predictions
  (a model is over-confident on the texts it was trained on; the folds show by how much).
- Stored form: the n-grams, their idf, the coefficients, the classes and the temperature
  as plain arrays in an ``.npz`` read with ``allow_pickle=False``: loading a stored model
  runs no code, whatever the bytes hold. Prediction is a few numpy lookups; scikit-learn
  is imported only to train.

Labels are unit names of the jurisdiction. ``train`` weighs each example (the bureau's
own decisions count more than the base set, see ``OWN_WEIGHT``).

Precedents: a single decision barely moves a linear model trained on hundreds of
examples, yet a bureau that reassigned a complaint expects the same complaint, sent again
next week, to go where it decided. The model therefore also keeps the tf-idf vectors of
the bureau's own decisions (n-gram indices and weights, not their text) and
``precedent(text)`` names the unit of the most similar one when the cosine similarity
reaches ``PRECEDENT_MIN``. Between two different complaints of the tune rows no pair
reaches 0.3; the same complaint reworded ("小区附近的共享单车堆满了人行道" / "…堆满人行道，
根本走不过去") scores about 0.7.

The base set: labelled complaints shipped with EcoGov, only their ``tune`` rows (the
``holdout`` rows are kept for measuring, never for training). Their ``lead`` names a
unit of the sample district (seed 000, 西宁市城中区). ``base_examples`` keeps a row for a
jurisdiction when its ``lead`` is the name of one of the jurisdiction's units (the
sample district, and any area whose units bear the same names); otherwise it maps the
row's ``kind`` of unit (or, for rows without one, the kind its lead's name shows) onto
the one unit whose name carries that kind's words (生态环境 → "市生态环境局"). A kind
that matches no unit or several (a city's 各区政府, two 公安 units) is left out rather
than guessed, and so are the territorial kinds (township, street): which 镇 or 街道 is a
matter of place, not of text.
"""

import hashlib
import io
import json
import math
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import numpy as np

NGRAMS = (1, 3)
MIN_COUNT = 1  # an n-gram seen once is kept: the bureau's single decision must count
C = 30.0  # inverse regularisation (tuned by cross-validation on the tune rows)
FOLDS = 5  # out-of-fold predictions for the temperature
OWN_WEIGHT = 3.0  # a decision of the jurisdiction's own bureau against a base example
PRECEDENT_MIN = 0.5  # cosine similarity from which a decision of the bureau is followed
FORMAT = 1

_RUNS = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


# The words that show a unit's kind in its name (the kinds of tests/data/complaints).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "ecology": ("生态环境",),
    "urban_management": ("城市管理", "城管", "综合行政执法"),
    "public_utilities": ("市政公用", "环境卫生", "环卫"),
    "housing": ("住房和城乡建设", "城乡建设", "住建"),
    "natural_resources": ("自然资源", "林业", "规划"),
    "water": ("水务", "水利"),
    "agriculture": ("农业农村", "畜牧"),
    "market": ("市场监督", "市场监管"),
    "health": ("卫生健康", "卫健"),
    "traffic_police": ("交警", "交通警察"),
    "police": ("公安",),
    "emergency": ("应急管理",),
    "culture_tourism": ("文体旅游", "文化", "旅游"),
    "development_industry": ("发展改革", "发展和改革", "工业和信息化", "经济和信息化"),
    "procuratorate": ("检察院",),
    "court": ("法院",),
    "discipline": ("纪委", "监委"),
    "government_office": ("政府办公室",),
    "audit": ("审计",),
}


def kind_of(name: str) -> str | None:
    """The kind of a unit by its name (the first kind whose words it carries)."""
    for kind, words in KIND_WORDS.items():
        if any(word in name for word in words):
            return kind
    return None


def base_examples(rows, unit_names) -> list["Example"]:
    """The ``tune`` rows of a labelled set as examples for a jurisdiction with these
    units (see the module's docstring)."""
    names = set(unit_names)
    by_kind: dict[str, list[str]] = {}
    for name in sorted(names):
        kind = kind_of(name)
        if kind:
            by_kind.setdefault(kind, []).append(name)
    examples = []
    for row in rows:
        if row.get("split") != "tune" or not row.get("text", "").strip():
            continue
        lead = (row.get("lead") or "").strip()
        if lead in names:
            examples.append(Example(row["text"], lead))
            continue
        kind = (row.get("kind") or "").strip() or (kind_of(lead) if lead else None)
        matches = by_kind.get(kind or "", [])
        if len(matches) == 1:
            examples.append(Example(row["text"], matches[0]))
    return examples


@dataclass(frozen=True)
class Example:
    text: str
    unit: str
    weight: float = 1.0
    precedent: bool = False  # a decision of the jurisdiction's own bureau


def grams(text: str, ngrams: tuple[int, int] = NGRAMS) -> list[str]:
    """The character n-grams of a text (the same at training and at prediction)."""
    text = _DIGITS.sub("0", unicodedata.normalize("NFKC", text).lower())
    out: list[str] = []
    low, high = ngrams
    for run in _RUNS.findall(text):
        for n in range(low, high + 1):
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


class LearnedModel:
    """A trained model: ``predict(text)`` → [(unit, probability)], the likeliest first."""

    def __init__(self, *, features, idf, coef, intercept, classes, temperature=1.0, meta=None,
                 precedents=None):  # fmt: skip
        # precedents: (indptr, indices, values, labels), the CSR rows of the bureau's
        # decisions' normalised vectors and their class indices.
        empty = (np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32),
                 np.zeros(0, np.int64))  # fmt: skip
        self.precedents = tuple(np.asarray(a) for a in (precedents or empty))
        self.features = [str(f) for f in features]
        self.index = {f: i for i, f in enumerate(self.features)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)  # classes × features
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = [str(c) for c in classes]
        self.temperature = float(temperature)
        self.meta = dict(meta or {})
        self.ngrams = tuple(self.meta.get("ngrams", NGRAMS))  # as it was trained

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's normalised tf-idf vector: indices of its known n-grams, weights."""
        counts: dict[int, int] = {}
        for gram in grams(text, self.ngrams):
            i = self.index.get(gram)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        weights = tf * self.idf[idx]
        return idx, weights / (np.linalg.norm(weights) or 1.0)

    def logits(self, text: str) -> np.ndarray:
        idx, weights = self.vector(text)
        if not len(idx):
            return self.intercept.astype(np.float64)
        return self.coef[:, idx].astype(np.float64) @ weights + self.intercept

    def precedent(self, text: str) -> tuple[str, float] | None:
        """The unit of the bureau's decision most like this text, with the similarity,
        when it reaches PRECEDENT_MIN."""
        indptr, indices, values, labels = self.precedents
        if not len(labels):
            return None
        idx, weights = self.vector(text)
        dense = np.zeros(len(self.features))
        dense[idx] = weights
        rows = np.repeat(np.arange(len(labels)), np.diff(indptr))
        products = np.bincount(rows, weights=values * dense[indices], minlength=len(labels))
        best = int(np.argmax(products))
        if products[best] < PRECEDENT_MIN:
            return None
        return self.classes[int(labels[best])], float(products[best])

    def predict(self, text: str) -> list[tuple[str, float]]:
        z = self.logits(text) / self.temperature
        z = np.exp(z - z.max())
        p = z / z.sum()
        order = np.argsort(-p, kind="stable")
        return [(self.classes[i], float(p[i])) for i in order]

    # --- the stored form -----------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            features=np.array(self.features, dtype=str),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            classes=np.array(self.classes, dtype=str),
            precedent_indptr=self.precedents[0],
            precedent_indices=self.precedents[1],
            precedent_values=self.precedents[2],
            precedent_labels=self.precedents[3],
            meta=np.array(
                json.dumps(
                    self.meta | {"format": FORMAT, "temperature": self.temperature},
                    ensure_ascii=False,
                    sort_keys=True,
                )
            ),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "LearnedModel":
        """Read a stored model; never unpickles (object arrays are refused). A ValueError
        for anything that is not a model of this format."""
        try:
            return cls._read(bytes(data))
        except (KeyError, OSError, zipfile.BadZipFile, json.JSONDecodeError) as error:
            raise ValueError(f"not a stored router model: {error}") from None

    @classmethod
    def _read(cls, data: bytes) -> "LearnedModel":
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"unknown router model format {meta.get('format')!r}")
            return cls(
                features=arrays["features"].tolist(),
                idf=arrays["idf"],
                coef=arrays["coef"],
                intercept=arrays["intercept"],
                classes=arrays["classes"].tolist(),
                temperature=meta.pop("temperature"),
                meta=meta,
                precedents=tuple(
                    arrays[f"precedent_{part}"]
                    for part in ("indptr", "indices", "values", "labels")
                ),
            )

    def digest(self) -> str:
        """What the model computes, independent of how the archive was written."""
        h = hashlib.sha256()
        for part in (self.features, self.classes):
            h.update("\x1f".join(part).encode())
        for array in (self.idf, self.coef, self.intercept, *self.precedents):
            h.update(np.ascontiguousarray(array).tobytes())
        h.update(repr(self.temperature).encode())
        return h.hexdigest()


def _fit(texts, labels, weights, classes):
    """scikit-learn, imported here: a process that only routes never loads it."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer=lambda text: grams(text, NGRAMS),
        sublinear_tf=True,
        min_df=MIN_COUNT,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(texts)
    # saga: a few hundredths of a second where lbfgs takes seconds on these sparse rows.
    model = LogisticRegression(C=C, solver="saga", tol=1e-3, max_iter=300, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(matrix, labels, sample_weight=weights)
    # Map the fitted classes onto the full list (a fold may lack a rare unit).
    coef = np.full((len(classes), matrix.shape[1]), 0.0, dtype=np.float32)
    intercept = np.full(len(classes), -30.0, dtype=np.float32)
    fitted = list(model.classes_)
    if len(fitted) == 1:  # one class: scikit-learn refuses; every text is that unit
        raise ValueError("need examples of at least two units")
    rows, intercepts = model.coef_, model.intercept_
    if len(fitted) == 2:  # binary: one row for the second class; as two softmax rows
        rows, intercepts = np.vstack([-rows / 2, rows / 2]), np.array([-1, 1]) * intercepts / 2
    for j, name in enumerate(fitted):
        i = classes.index(name)
        coef[i], intercept[i] = rows[j], intercepts[j]
    features = [None] * len(vectorizer.vocabulary_)
    for gram, i in vectorizer.vocabulary_.items():
        features[i] = gram
    return LearnedModel(features=features, idf=vectorizer.idf_, coef=coef,
                        intercept=intercept, classes=classes,
                        meta={"ngrams": list(NGRAMS)})  # fmt: skip


def _temperature(logits: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> float:
    """The temperature that makes out-of-fold probabilities honest (least log-loss)."""

    def loss(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-(weights * log_p[np.arange(len(truth)), truth]).sum() / weights.sum())

    # A golden-section search on log t over [1, 8]: the loss is smooth and unimodal. Never
    # below 1: a few examples all scored right would make a sharper model than the fit.
    low, high = 0.0, math.log(8.0)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = loss(math.exp(a)), loss(math.exp(b))
    for _ in range(40):
        if fa < fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = loss(math.exp(a))
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = loss(math.exp(b))
    return math.exp((low + high) / 2)


def train(examples: list[Example], *, meta: dict | None = None, seed: int = 0) -> LearnedModel:
    """Train on labelled examples (at least two units). Deterministic for one input."""
    examples = [e for e in examples if e.text.strip() and e.unit]
    classes = sorted({e.unit for e in examples})
    if len(classes) < 2:
        raise ValueError("need examples of at least two units")
    texts = [e.text for e in examples]
    labels = np.array([e.unit for e in examples])
    weights = np.array([e.weight for e in examples], dtype=np.float64)
    truth = np.array([classes.index(e.unit) for e in examples])
    # Out-of-fold logits for the temperature: each example scored by a model that did
    # not see it.
    order = np.random.default_rng(seed).permutation(len(examples))
    folds = min(FOLDS, len(examples))
    logits = np.zeros((len(examples), len(classes)))
    scored = np.zeros(len(examples), dtype=bool)
    for k in range(folds):
        held = order[k::folds]
        kept = np.setdiff1d(order, held)
        if len(set(labels[kept])) < 2:
            continue
        model = _fit([texts[i] for i in kept], labels[kept], weights[kept], classes)
        for i in held:
            logits[i] = model.logits(texts[i])
        scored[held] = True
    temperature = (
        _temperature(logits[scored], truth[scored], weights[scored]) if scored.any() else 1.0
    )
    model = _fit(texts, labels, weights, classes)
    model.temperature = temperature
    indptr, indices, values, owners = [0], [], [], []
    for example in examples:
        if example.precedent:
            idx, vec = model.vector(example.text)
            indices.extend(idx.tolist())
            values.extend(vec.tolist())
            indptr.append(len(indices))
            owners.append(classes.index(example.unit))
    model.precedents = (np.array(indptr, np.int64), np.array(indices, np.int64),
                        np.array(values, np.float32), np.array(owners, np.int64))  # fmt: skip
    model.meta = dict(meta or {}) | {"examples": len(examples), "units": len(classes),
                                     "ngrams": list(NGRAMS)}  # fmt: skip
    return model
