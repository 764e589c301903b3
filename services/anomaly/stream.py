"""NDJSON scoring: read the request body line by line, answer one result line per row, in order.

Each non-blank input line is one row (a JSON object of column values) and gets one output line:
`{"index", "score", "is_anomaly"}`, or `{"index", "error"}` when the line is not valid JSON or lacks a
feature; the stream goes on either way. `index` counts the non-blank lines from 0 (blank lines are
skipped, as NDJSON readers conventionally do). Lines are scored in batches as the body arrives.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Sequence

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from services.anomaly.algorithms import TrainedModel, json_score
from services.anomaly.features import RowError, vector_of

NDJSON = "application/x-ndjson"
BATCH_LINES = 2_000


class NdjsonResponse(StreamingResponse):
    """A streaming answer that may keep reading the request body while it is being sent.

    Starlette's StreamingResponse listens for a disconnect on `receive` (ASGI < 2.4), which would
    swallow the request body chunks this endpoint is still reading; this one only streams.
    """

    media_type = NDJSON

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.stream_response(send)


def _dumps(document: dict[str, object]) -> str:
    return json.dumps(document, separators=(",", ":"))


def score_lines(model: TrainedModel, features: Sequence[str], lines: Sequence[bytes], first_index: int) -> bytes:
    """One output line per input line (blank lines already removed)."""
    outputs: list[str | None] = [None] * len(lines)
    vectors: list[list[float]] = []
    positions: list[int] = []
    for offset, line in enumerate(lines):
        index = first_index + offset
        try:
            row = json.loads(line)
            vectors.append(vector_of(row, features))
            positions.append(offset)
        except RowError as exc:
            outputs[offset] = _dumps({"index": index, "error": f"row {index} {exc.message}"})
        except (ValueError, RecursionError):
            outputs[offset] = _dumps({"index": index, "error": f"line {index} is not valid JSON"})
    if vectors:
        matrix = np.asarray(vectors, dtype=float).reshape(len(vectors), len(features))
        scores, flags = model.detect(matrix)
        for offset, score, flag in zip(positions, scores.tolist(), flags.tolist(), strict=True):
            outputs[offset] = _dumps({"index": first_index + offset, "score": json_score(score), "is_anomaly": flag})
    return ("\n".join(line for line in outputs if line is not None) + "\n").encode()


async def results(body: AsyncIterable[bytes], model: TrainedModel, features: Sequence[str]) -> AsyncIterator[bytes]:
    pending = b""
    index = 0

    async def flush(lines: list[bytes]) -> AsyncIterator[bytes]:
        nonlocal index
        rows = [line for line in lines if line.strip()]
        for start in range(0, len(rows), BATCH_LINES):
            batch = rows[start:start + BATCH_LINES]
            yield await run_in_threadpool(score_lines, model, features, batch, index)
            index += len(batch)

    try:
        async for chunk in body:
            pending += chunk
            if b"\n" not in chunk:
                continue
            *lines, pending = pending.split(b"\n")
            async for output in flush(lines):
                yield output
    except HTTPException as exc:  # the body grew past the 10 MiB limit mid-stream
        yield (_dumps({"index": index, "error": f"stream stopped: {exc.detail}"}) + "\n").encode()
        return
    async for output in flush([pending]):
        yield output
