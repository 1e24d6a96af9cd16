"""Runs an `.http` file (the VS Code REST Client dialect api.http is written in) in order, the way
a person clicking "Send Request" on each block from the top would, and reports every request
whose status differs from the `# expect: NNN` comment above it.

The part of the dialect understood here is the part api.http uses:
- `###` starts a block; `# @name login` names its request; `# expect: 201` is ours (a comment to
  REST Client) and is required on every request;
- `@var = value` file variables (their values may use other variables);
- `{{var}}`, `{{login.response.body.$.a.b[0].c}}`, `{{login.response.headers.Location}}`;
- `{{$datetime "YYYY-MM-DD" 1 d}}` / `{{$datetime iso8601 -2 h}}`, `{{$guid}}`,
  `{{$randomInt 1000 9999}}` (system variables, as REST Client defines them);
- a request line `METHOD URL`, header lines, a blank line, then the body.
"""

import json
import random
import re
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

VARIABLE = re.compile(r"\{\{\s*([^}]+?)\s*\}\}")
REQUEST_LINE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)(\s+HTTP/\S+)?$")
UNITS = {"y": 365 * 86400, "M": 30 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


@dataclass
class Request:
    line: int
    title: str
    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    name: str | None = None
    expect: int | None = None


@dataclass
class Response:
    status: int
    headers: dict
    body: object


def parse(text: str) -> tuple[list[Request], dict[str, str]]:
    """The requests in file order, and the file variables (REST Client reads them all up front)."""
    requests, variables = [], {}
    block_start, title = 1, ""
    for number, block in _blocks(text):
        name = expect = None
        request = None
        in_body, body = False, []
        for offset, raw in enumerate(block):
            line = raw.rstrip("\n")
            if offset == 0 and line.startswith("###"):
                title = line.lstrip("#").strip() or title
                block_start = number
                continue
            stripped = line.strip()
            if in_body:
                body.append(line)
                continue
            if request is None:
                if match := re.match(r"^#\s*@name\s+(\S+)", stripped):
                    name = match.group(1)
                elif match := re.match(r"^#\s*expect:\s*(\d{3})\b", stripped):
                    expect = int(match.group(1))
                elif stripped.startswith(("#", "//")) or not stripped:
                    if stripped.startswith("#") and not title:
                        title = stripped.lstrip("# ")
                elif match := re.match(r"^@([\w.-]+)\s*=\s*(.*)$", stripped):
                    variables[match.group(1)] = match.group(2).strip()
                elif match := REQUEST_LINE.match(stripped):
                    request = Request(block_start + offset, title, match.group(1), match.group(2), name=name)
                    request.expect = expect
                else:
                    raise ValueError(f"api.http line {number + offset}: cannot read {stripped!r}")
            elif not stripped:
                in_body = True
            elif not stripped.startswith(("#", "//")):
                header, _, value = stripped.partition(":")
                request.headers.append((header.strip(), value.strip()))
        if request is not None:
            request.body = "\n".join(body).strip()
            requests.append(request)
    return requests, variables


def _blocks(text: str):
    lines = text.splitlines()
    start = 0
    for index, line in enumerate(lines):
        if line.startswith("###") and index > start:
            yield start + 1, lines[start:index]
            start = index
    yield start + 1, lines[start:]


class Runner:
    def __init__(self, variables: dict[str, str], overrides: dict[str, str] | None = None):
        self.variables = {**variables, **(overrides or {})}
        self.responses: dict[str, tuple[Request, Response]] = {}

    def resolve(self, text: str, depth: int = 0) -> str:
        if depth > 10:
            raise ValueError(f"variables refer to each other in a circle: {text}")
        return VARIABLE.sub(lambda match: self.resolve(self._value(match.group(1)), depth + 1), text)

    def _value(self, expression: str) -> str:
        if expression.startswith("$"):
            return _system_variable(expression)
        if expression in self.variables:
            return self.variables[expression]
        name, _, rest = expression.partition(".")
        if name in self.responses and rest.startswith("response."):
            _request, response = self.responses[name]
            part, _, path = rest.removeprefix("response.").partition(".")
            if part == "headers":
                return next((v for k, v in response.headers.items() if k.lower() == path.lower()), "")
            value = _json_path(response.body, path)
            return value if isinstance(value, str) else json.dumps(value)
        raise KeyError(f"no variable or earlier named response for {{{{{expression}}}}}")

    def send(self, request: Request, *, timeout: float = 30) -> Response:
        url = self.resolve(request.url)
        headers = {name: self.resolve(value) for name, value in request.headers}
        data = self.resolve(request.body).encode() if request.body else None
        outgoing = urllib.request.Request(url, data=data, method=request.method, headers=headers)
        try:
            with urllib.request.urlopen(outgoing, timeout=timeout) as answer:
                status, raw, answer_headers = answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), dict(error.headers)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        response = Response(status, answer_headers, body)
        if request.name:
            self.responses[request.name] = (request, response)
        return response


def _json_path(body, path: str):
    if not path.startswith("$"):
        raise KeyError(f"write response paths as JSONPath, starting with $: {path}")
    value = body
    for key, index in re.findall(r"\.([\w-]+)|\[(\d+)\]", path[1:]):
        try:
            value = value[int(index)] if index else value[key]
        except (KeyError, IndexError, TypeError):
            raise KeyError(f"{path} is not in the response: {json.dumps(body)[:300]}") from None
    return value


def _system_variable(expression: str) -> str:
    parts = re.findall(r'"[^"]*"|\S+', expression)
    kind = parts[0]
    if kind == "$guid":
        return str(uuid.uuid4())
    if kind == "$randomInt":
        return str(random.randint(int(parts[1]), int(parts[2]) - 1))
    if kind in ("$datetime", "$localDatetime"):
        moment = datetime.now(UTC)
        if kind == "$localDatetime":
            moment = moment.astimezone()
        if len(parts) >= 4:
            moment += timedelta(seconds=int(parts[2]) * UNITS[parts[3]])
        form = parts[1]
        if form == "iso8601":
            return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
        if form.startswith('"'):
            return _day_js(moment, form.strip('"'))
    raise KeyError(f"system variable not supported here: {expression}")


def _day_js(moment: datetime, form: str) -> str:
    tokens = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}
    return moment.strftime(re.sub("|".join(tokens), lambda match: tokens[match.group(0)], form))
