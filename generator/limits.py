"""Resource limits: the bounds etk puts on what it reads and waits for, in one place.

Every input etk reads from outside (files, command-line JSON, HTTP responses, requests to the
fake services) is bounded in size, nesting and time, so no input, however hostile, can exhaust
memory or hang a command. README's "Resource limits" section lists these with the limits other
packages own (FEEL evaluation in `generator.feel.limits`, YAML definitions in `generator.definition`).
Where a user may legitimately need more, the limit is a default that a command-line option or a
constructor argument changes; the others are fixed.
"""

from __future__ import annotations

MIB = 1024 * 1024

# --- JSON text etk reads: templates, variables and secrets files, --var values, response bodies ---
MAX_JSON_FILE_BYTES = 64 * MIB  # a JSON file etk reads (templates of 50,000 properties are ~15 MB)
MAX_JSON_DEPTH = 500  # nested arrays and objects (Jackson, Camunda's reader, allows 1000)
MAX_JSON_NUMBER_DIGITS = 1000  # digits of one number (Jackson's default maxNumberLength)
# template text `etk validate` keeps what it read of (alike properties, parsed and checked once):
# about 1 MB of memory per MiB; Camunda's 693 templates are 16 MB
MAX_VALIDATION_MEMO_CHARS = 32 * MIB

# --- HTTP responses the runtime reads (defaults; `etk run --max-response-size/--max-time`) ---
MAX_RESPONSE_BYTES = 32 * MIB  # decoded body; 8x Zeebe's default maximum message size of 4 MB
MAX_DECOMPRESSION_RATIO = 100  # decoded bytes per received byte, as Apache POI's ZipSecureFile
DECOMPRESSION_RATIO_GRACE_BYTES = 1 * MIB  # decoded bytes before the ratio is checked
MAX_RESPONSE_SECONDS: float | None = None  # one whole exchange; None: only the per-read timeout
# values (objects, arrays, scalars) a response body is parsed into; more stay text: 32 MiB of
# `[{},{},...]` would be 11 million Python objects (gigabytes); a million empty objects, the worst
# case, peak at about 250 MB through a result expression; real responses hold far fewer (Zeebe
# keeps at most 4 MB of variables per message by default)
MAX_RESPONSE_JSON_VALUES = 1_000_000

# --- the fake services (`etk serve`, the pytest fixtures) ---
MAX_REQUEST_BODY_BYTES = 16 * MIB  # a larger body gets 413 without being read
MAX_RECORDED_REQUESTS = 1000  # requests kept for inspection: the newest, in a ring ...
MAX_RECORDED_BYTES = 64 * MIB  # ... holding at most this many body bytes in all
LISTEN_BACKLOG = 128  # connections the kernel queues before the server accepts them
