"""Which unit must handle a complaint, by the jurisdiction's duty lists (no Django).

The router compares a complaint with every duty clause and proposes the unit whose
clause fits best, citing it. Duty clauses are split into their sentences (a unit's
paragraph lists many duties); each is a bag of character bigrams weighted by how rare
the bigram is among all sentences (tf-idf), which needs no word segmentation and
tolerates the variants of Chinese wording. A complaint is first translated: the concepts
of ``router_lexicon`` it mentions ("烧烤摊" → 露天烧烤) add their duty-list terms.

A clause that only assists ("配合……", "协助……") counts for less than one that leads
("负责……", "牵头……"), and the townships' general duty (各镇办: "负责辖区内……各类环境污染
问题的处置、上报") counts for less than a department's specific one, so that a township
leads only where its clause is the specific one (秸秆焚烧 in seed 000).

When no clause fits, or two units fit almost equally, the router proposes no lead: the
case goes to the disputed-responsibility queue, with the candidates and their scores.

A jurisdiction may also have a learned part (``router_model``: which unit its bureau gave
texts like this one). With it the proposal combines both: the clause scores become a
distribution over units (a softmax of the scores, ``CLAUSE_TEMPERATURE``), mixed with the
learned probabilities (``LEARNED_SHARE``); the unit with the highest combined share leads
when that share reaches ``MIN_SHARE``, else the case is disputed. A text that names no
problem ("这里有个问题请处理一下") gets neither a clause nor a confident learned answer and
is disputed rather than guessed. A report nearly the same as one the bureau itself
decided (``LearnedModel.precedent``) goes where the bureau sent that one, whatever the
clauses say: the bureau has already read the duty list on it. The lead's own best clause is cited whenever it has one;
``Routing.confidence`` is the learned probability of the lead.
"""

import copy
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ecogov.domain.router_lexicon import CONCEPTS, NUISANCES, Concept
from ecogov.domain.router_model import LearnedModel

# Tuned on the "tune" part of the labelled complaints only (bench/routing.py).
MIN_SCORE = 0.05  # below this the best clause is no real match
DISPUTE_RATIO = 0.93  # a runner-up this close to the best makes the case disputed
SUPPORT_RATIO = 0.45  # other units this close are proposed as supporting units
MAX_SUPPORT = 2
CONCEPT_WEIGHT = 2.0  # duty terms of a recognised concept against the complaint's own words
ASSISTING = 0.55  # a clause that begins 配合/协助
JOINT = 0.85  # a clause that begins 联合/会同/参与
TERRITORIAL = 0.8  # the townships' general clause
# Combining with the learned part (tuned on the tune rows, bench/routing.py).
# Measured on the tune rows (issue 23, second round): LEARNED_SHARE 0.4-0.8 against
# CLAUSE_TEMPERATURE 0.05-0.2 route within a point of these; as the dispute rule, the
# margin between the first and second combined shares, their ratio, or the learned
# probability of the lead do not separate right from wrong leads better than the first
# share: compared at each disputed share from 5 % to 60 %, each was better on one set
# at some shares and worse on the other (the learned probability: 10 rows better on
# the real set at half disputed, 6 worse on the sample set), none better on both.
LEARNED_SHARE = 0.6  # the learned probabilities' share of the combined one
CLAUSE_TEMPERATURE = 0.1  # clause scores → a distribution: softmax(score / this)
MIN_SHARE = 0.3  # a lead needs this combined share, else the bureau decides
LEARNED_TOP = 5  # the learned part's candidates kept on the proposal

_NOT_TEXT = re.compile(r"[^\w]+")
_SENTENCE = re.compile(r"[；;。\n]+")


def bigrams(text: str) -> Counter:
    grams: Counter = Counter()
    for run in _NOT_TEXT.split(text):
        run = run.replace("_", "")
        if len(run) == 1:
            grams[run] += 1
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@dataclass(frozen=True)
class Clause:
    """A duty clause of a unit, with a reference a person can check (document, line)."""

    unit: str
    text: str
    ref: str = ""


@dataclass
class Candidate:
    unit: str
    score: float
    sentence: str = ""
    ref: str = ""


@dataclass
class Routing:
    lead: str | None
    support: list[str]
    clause: str | None
    clause_ref: str | None
    candidates: list[Candidate]
    category: str
    subcategory: str | None
    concepts: list[str] = field(default_factory=list)
    # The learned part, when the jurisdiction has one: its probability for the lead (or
    # for its own first choice when the case is disputed) and its first candidates.
    confidence: float | None = None
    learned: list[tuple[str, float]] = field(default_factory=list)
    # The units in the order of the combined shares (empty without a learned part).
    shares: list[tuple[str, float]] = field(default_factory=list)
    # The similarity to an earlier decision of the bureau that the lead follows.
    precedent: float | None = None

    def ranking(self) -> list[str]:
        """The units from the likeliest lead down (the lead first when there is one)."""
        units = [u for u, _s in self.shares] or [c.unit for c in self.candidates]
        if self.lead:
            units = [self.lead] + [u for u in units if u != self.lead]
        return units

    @property
    def by_learning(self) -> bool:
        """Whether the learned part took part in the proposal."""
        return self.confidence is not None

    @property
    def disputed(self) -> bool:
        return self.lead is None

    def as_dict(self) -> dict:
        return {
            "lead": self.lead,
            "support": self.support,
            "clause": self.clause,
            "candidates": [
                {"unit": c.unit, "score": round(c.score, 4)} for c in self.candidates[:8]
            ],
            "category": self.category,
        }


@dataclass
class _Sentence:
    unit: str
    text: str
    ref: str
    grams: Counter
    strength: float
    norm: float = 0.0


def _alternation(words) -> re.Pattern[str]:
    """One expression matching any of the words, the longest first."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _strength(sentence: str) -> float:
    start = sentence.lstrip("，,、 ")
    if start.startswith(("配合", "协助")):
        return ASSISTING
    if start.startswith(("联合", "会同", "参与")):
        return JOINT
    return 1.0


class Router:
    """Built once per jurisdiction from its duty clauses; ``route`` is then pure."""

    def __init__(
        self,
        clauses: list[Clause],
        *,
        territorial: dict[str, str] | None = None,
        concepts: tuple[Concept, ...] = CONCEPTS,
        nuisances: dict[str, tuple[str, ...]] = NUISANCES,
        learned: LearnedModel | None = None,
        units: set[str] | None = None,
    ):
        # learned: the jurisdiction's learned part; units: the units it may propose (its
        # active units; a unit the model knows under a name no longer used is dropped).
        # territorial: unit name → "township" or "street", for the units whose shared
        # clause covers their own area (各镇办); a case's location picks one of them.
        self.territorial = dict(territorial or {})
        self.concepts = concepts
        self.units = sorted({clause.unit for clause in clauses})
        self.learned = learned
        self.known = set(units) if units is not None else set(self.units)
        self.min_share = MIN_SHARE
        self.sentences: list[_Sentence] = []
        for clause in clauses:
            for text in _SENTENCE.split(clause.text):
                grams = bigrams(text)
                if sum(grams.values()) < 2:
                    continue
                strength = _strength(text)
                if clause.unit in self.territorial:
                    strength *= TERRITORIAL
                self.sentences.append(
                    _Sentence(clause.unit, text.strip(), clause.ref, grams, strength)
                )
        count = len(self.sentences) or 1
        frequency: Counter = Counter()
        for sentence in self.sentences:
            frequency.update(set(sentence.grams))
        self.idf = {gram: math.log((count + 1) / (n + 1)) + 1 for gram, n in frequency.items()}
        for sentence in self.sentences:
            sentence.norm = math.sqrt(
                sum((n * self.idf[g]) ** 2 for g, n in sentence.grams.items())
            )
        # Every trigger, longest first, in one expression.
        owners: dict[str, list[Concept]] = {}
        for concept in concepts:
            for trigger in concept.triggers:
                owners.setdefault(trigger, []).append(concept)
        self._owners = owners
        self._triggers = _alternation(owners)
        self._nuisance_of = {word: cat for cat, words in nuisances.items() for word in words}
        self._nuisances = _alternation(self._nuisance_of)

    def concepts_in(self, text: str) -> list[Concept]:
        """The concepts a complaint mentions, the most mentioned first."""
        weight: Counter = Counter()
        for match in self._triggers.finditer(text):
            for concept in self._owners[match.group()]:
                weight[concept] += len(match.group())
        return [concept for concept, _n in weight.most_common()]

    def by_nuisance(self, text: str, concepts: list[Concept]) -> list[Concept]:
        """``concepts`` with those of the category whose nuisance the text names most
        first: noise words outrank 工地, which dust shares. The order decides the
        category, not the unit: the duty terms come from the most mentioned concepts."""
        named: Counter = Counter()
        if self._nuisance_of:
            for match in self._nuisances.finditer(text):
                named[self._nuisance_of[match.group()]] += len(match.group())
        return sorted(concepts, key=lambda concept: -named[concept.category])

    def with_learned(self, learned: LearnedModel | None) -> "Router":
        """The same duty clauses with another learned part (or none)."""
        other = copy.copy(self)
        other.learned = learned
        return other

    def route(
        self, text: str, *, locality: str | None = None, category: str | None = None
    ) -> Routing:
        """Propose the lead unit for a complaint.

        ``locality`` is the territorial unit of the complaint's place (the township or
        street office of its grid), when known.
        """
        routing = self.by_clauses(text, locality=locality, category=category)
        if self.learned is None:
            return routing
        return self._combine(routing, text, self._other_territories(text, locality))

    def _combine(self, routing: Routing, text: str, excluded: set[str]) -> Routing:
        """Mix the clause scores with the learned probabilities (module docstring)."""
        allowed = self.known - excluded
        learned = [(u, p) for u, p in self.learned.predict(text) if u in allowed]
        total = sum(p for _u, p in learned) or 1.0
        learned = [(u, p / total) for u, p in learned]
        clause_of = {c.unit: c for c in routing.candidates}
        # A clause below MIN_SCORE is no real match: it says nothing of the unit.
        scores = {u: c.score for u, c in clause_of.items() if u in allowed and c.score >= MIN_SCORE}
        if routing.lead and routing.lead not in scores:  # the usual unit, no clause
            scores[routing.lead] = MIN_SCORE
        clause_share: dict[str, float] = {}
        if scores:
            top = max(scores.values())
            weights = {u: math.exp((s - top) / CLAUSE_TEMPERATURE) for u, s in scores.items()}
            # Units without any clause score share the rest as if they scored 0.
            rest = len(allowed - set(weights))
            floor = math.exp(-top / CLAUSE_TEMPERATURE)
            norm = sum(weights.values()) + rest * floor
            clause_share = {u: w / norm for u, w in weights.items()}
            clause_floor = floor / norm
        else:
            clause_floor = 1.0 / (len(allowed) or 1)
        combined = {
            u: LEARNED_SHARE * p + (1 - LEARNED_SHARE) * clause_share.get(u, clause_floor)
            for u, p in learned
        }
        for u, share in clause_share.items():
            combined.setdefault(u, (1 - LEARNED_SHARE) * share)
        ranked = sorted(combined.items(), key=lambda item: (-item[1], item[0]))
        probability = dict(learned)
        routing.learned = learned[:LEARNED_TOP]
        routing.shares = ranked[:LEARNED_TOP]
        lead, share = ranked[0] if ranked else (None, 0.0)
        precedent = self.learned.precedent(text)
        if precedent is not None and precedent[0] in allowed:
            # The bureau decided a report this like before: its decision stands.
            lead, routing.precedent = precedent[0], precedent[1]
            share = max(share, self.min_share)
        routing.confidence = probability.get(lead, 0.0) if lead else None
        if lead is None or share < self.min_share:
            routing.lead, routing.support, routing.clause, routing.clause_ref = None, [], None, None
            return routing
        own = clause_of.get(lead)
        if lead != routing.lead:
            routing.support = []
            if own is not None and own.score >= MIN_SCORE:
                routing.support = [
                    c.unit
                    for c in routing.candidates
                    if c.unit != lead
                    and c.sentence != own.sentence
                    and c.score >= SUPPORT_RATIO * own.score
                ][:MAX_SUPPORT]
        routing.lead = lead
        if own is not None and own.score >= MIN_SCORE:
            routing.clause, routing.clause_ref = own.sentence, own.ref
        else:
            routing.clause, routing.clause_ref = None, None
        return routing

    def by_clauses(
        self, text: str, *, locality: str | None = None, category: str | None = None
    ) -> Routing:
        """The proposal of the duty clauses alone."""
        concepts = self.concepts_in(text)
        query = bigrams(text)
        for rank, concept in enumerate(concepts[:3]):
            for term in concept.duty_terms:
                for gram, n in bigrams(term).items():
                    query[gram] += n * CONCEPT_WEIGHT / (rank + 1)
        weights = {g: n * self.idf[g] for g, n in query.items() if g in self.idf}
        query_norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        best: dict[str, Candidate] = {}
        excluded = self._other_territories(text, locality)
        for sentence in self.sentences:
            if sentence.unit in excluded or not sentence.norm:
                continue
            dot = sum(
                w * sentence.grams[g] * self.idf[g]
                for g, w in weights.items()
                if g in sentence.grams
            )
            score = sentence.strength * dot / (query_norm * sentence.norm)
            held = best.get(sentence.unit)
            if held is None or score > held.score:
                best[sentence.unit] = Candidate(sentence.unit, score, sentence.text, sentence.ref)
        candidates = sorted(best.values(), key=lambda c: (-c.score, c.unit))
        candidates = [c for c in candidates if c.score > 0]
        # A category given by the reporter stands; the sub-category is then the text's
        # main concept within that category, never one of another category.
        named = self.by_nuisance(text, concepts)
        category = category or (named[0].category if named else "other")
        subcategory = next((c.subcategory for c in named if c.category == category), None)
        routing = Routing(None, [], None, None, candidates, category, subcategory,
                          [c.subcategory for c in concepts])  # fmt: skip
        top = candidates[0] if candidates else None
        silent = bool(concepts) and not concepts[0].duty_terms  # the duty lists say nothing
        if top is None or top.score < MIN_SCORE or silent:
            fallback = self._fallback(concepts)
            if fallback:
                routing.lead = fallback
            return routing
        # Units that share the very same clause (交警二大队、八大队) are one candidate.
        rivals = [c for c in candidates[1:] if c.sentence != top.sentence]
        if rivals and rivals[0].score >= DISPUTE_RATIO * top.score:
            return routing
        routing.lead = top.unit
        routing.clause, routing.clause_ref = top.sentence, top.ref
        routing.support = [c.unit for c in rivals if c.score >= SUPPORT_RATIO * top.score][
            :MAX_SUPPORT
        ]
        return routing

    def _other_territories(self, text: str, locality: str | None) -> set[str]:
        """The territorial units the case is not in: all but its locality's when known;
        otherwise those of the other kind than the text suggests (村/镇 → township)."""
        if not self.territorial:
            return set()
        if locality in self.territorial:
            return set(self.territorial) - {locality}
        named = {u for u in self.territorial if u[:2] in text}
        if named:
            return set(self.territorial) - named
        kind = "township" if re.search("[村镇乡]", text) else "street"
        return {u for u, k in self.territorial.items() if k != kind}

    def _fallback(self, concepts: list[Concept]) -> str | None:
        if concepts and not concepts[0].duty_terms:
            concepts = concepts[:1]
        for concept in concepts:
            if concept.fallback:
                for unit in self.units:
                    if concept.fallback in unit:
                        return unit
        return None
