"""Run a batch: pick the spec of each payload, supply context documents, collect Results.

The batch never stops at a bad input; every input appears in the batch, in input order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml
from lxml import etree

from hegui import __version__
from hegui.validator.catalogue import DEFAULT
from hegui.validator.codec import xml_to_json
from hegui.validator.engine import Options, Validator
from hegui.validator.errors import HeguiError, UsageError
from hegui.validator.finding_texts import parse_text
from hegui.validator.identify import (
    Encoding,
    is_blank,
    peek_json_spec_version,
    sniff_encoding,
    spec_for_message_type,
    spec_for_namespace,
    spec_for_payload,
    why_no_spec,
)
from hegui.validator.inputs import Payload, expand, expand_units
from hegui.validator.keys import Keys
from hegui.validator.loader import bundled_spec_ids, load_spec
from hegui.validator.platform_detect import detect_platform
from hegui.validator.platform_loader import is_platform_name, load_platform
from hegui.validator.platform_model import Platform
from hegui.validator.record import nested_value
from hegui.validator.result import Batch, Finding, Location, Result
from hegui.validator.run_checks import RequestIds
from hegui.validator.safe_json import JsonParseError, parse_json, pointer_tokens
from hegui.validator.safe_xml import XmlParseError, parse_xml
from hegui.validator.spec import Spec, Text
from hegui.validator.spool import ResultSpool
from hegui.validator.versions import family, split_name
from hegui.validator.yamlsource import load_located


@dataclass(frozen=True)
class RunConfig:
    """What a run was asked to do (frozen: parsed once from the CLI or the API)."""

    #: ``<id>`` (the payload picks the version), ``<id>@<version>`` (forced), a folder or a
    #: loaded spec; None: detect per payload.
    spec: str | Spec | None = None
    #: The profile layer to apply (docs/spec-format.md, Profiles), or None for the core.
    profile: str | None = None
    options: Options = field(default_factory=Options)
    contexts: Mapping[str, str] = field(default_factory=dict)  # name -> file
    #: Report conformant context documents as inputs too (a nonconformant one always is: the
    #: rules that read it may judge wrongly).
    include_contexts: bool = False
    #: With a platform profile: the native message of given files (resolved path -> name),
    #: e.g. from a native test pack's manifest; other files use ``options.native_message``.
    native_messages: Mapping[str, str] = field(default_factory=dict)
    #: Key material for sealed envelopes (never recorded: the options say only whether
    #: keys were given).
    keys: Keys | None = None
    #: The time of validation sealed envelopes' timestamps are judged against (None: now).
    now: dt.datetime | None = None


class Runner:
    """Validates many payloads, caching one Validator per spec."""

    def __init__(self, config: RunConfig):
        #: The configuration as given (what a Dask worker builds its own runner from).
        self.config_as_given = config
        self.config = config
        self._validators: dict[str, Validator] = {}
        #: The platform profile every payload is a native message of (``--profile <id>``
        #: naming a platform profile), or None.
        self.platform: Platform | None = None
        if config.profile is not None and is_platform_name(config.profile):
            self.platform = load_platform(config.profile)
            config = dataclasses.replace(config, spec=_platform_spec(self.platform, config.spec),
                                         profile=self.platform.layer)
            self.config = config
        self._context_results: list[Result] = []
        #: The one spec version every payload is checked against, when one is forced.
        self.fixed: Spec | None = None
        #: The candidate specs, each spec's current version first, then its others.
        self._bundled: list[Spec] | None = None
        if isinstance(config.spec, Spec):
            self.fixed = (config.spec if config.profile in (None, config.spec.profile)
                          else load_spec(config.spec.folder, config.profile))
        elif config.spec:
            if split_name(config.spec)[1] is not None or len(family(config.spec)) == 1:
                self.fixed = load_spec(config.spec, config.profile)
            else:
                self._bundled = _ordered(config.spec, config.profile)
                if not self._bundled:
                    raise UsageError(
                        f"规范 {config.spec} 没有任何版本提供配置层 {config.profile} / no version "
                        f"of spec {config.spec} has the profile {config.profile}")
        if self.fixed is None and self._bundled is None and config.contexts:
            self.fixed = _spec_of_contexts(config.contexts, config.profile)
        self.specs: dict[str, Spec] = {}
        if self.fixed is not None:
            self.specs[self.fixed.name] = self.fixed

    # -- spec selection --------------------------------------------------------------------

    def spec_for(self, payload: Payload) -> Spec | None:
        """The spec of a payload: the forced one, or the bundled spec whose message it is."""
        if self.fixed is not None:
            return self.fixed
        found = spec_for_payload(payload.data, _encoding(payload), self.bundled())
        forced = self.config.options.message_type
        if found is None and forced is not None:  # a body that does not name its type
            found = spec_for_message_type(forced, self.bundled(),
                                          peek_json_spec_version(payload.data))
        if found is None and self.config.spec is not None:
            found = self.bundled()[0]  # --spec <id>: its current version says what is wrong
        return found

    def bundled(self) -> list[Spec]:
        """The candidate spec versions (``--spec <id>``: its versions; else every bundled
        version), each spec's current version first; loaded once per run."""
        if self._bundled is None:
            self._bundled = [s for sid in bundled_spec_ids()
                             for s in _ordered(sid, self.config.profile)]
        return self._bundled

    def validator(self, spec: Spec, platform: Platform | None = None) -> Validator:
        """The cached Validator of ``spec`` (reading ``platform``'s native messages, or the
        run's platform profile) with its context documents loaded."""
        platform = platform or self.platform
        key = spec.name + (f"~{platform.id}" if platform is not None else "")
        v = self._validators.get(key)
        if v is None:
            self.specs[spec.name] = spec
            v = Validator(spec, self._load_contexts(spec), platform=platform,
                          keys=self.config.keys, now=self.config.now)
            self._validators[key] = v
        return v

    def _load_contexts(self, spec: Spec) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, ctx in spec.contexts.items():
            given = self.config.contexts.get(name)
            if given is not None:
                path, data = given, _read(given)
            elif ctx.default is not None:
                path = str(Path(spec.folder) / ctx.default)
                data = _read(path)
            else:
                continue
            doc = _load_document(path, data)
            mt = spec.message_types[ctx.message_type]
            # The context document is itself checked, and its result reported.
            own = Validator(spec).validate(
                _as_payload_bytes(doc, path, data), path,
                Options(message_type=mt.id, fail_on=self.config.options.fail_on))
            if _is_yaml(path):
                own = _yaml_positions(own, data)
            self._context_results.append(own)
            values[name] = nested_value(spec, mt, doc)
        unknown = set(self.config.contexts) - set(spec.contexts)
        if unknown:
            names = sorted(unknown)
            raise UsageError(f"规范 {spec.id} 没有上下文 {'、'.join(names)} / "
                             f"spec {spec.id} has no context {', '.join(names)}")
        return values

    # -- running ---------------------------------------------------------------------------

    def validate(self, payload: Payload) -> Result:
        """Validate one payload (read errors and unknown specs become ``error`` results)."""
        if payload.read_error is not None:  # no bytes were read: no hash to report
            why = payload.read_error
            return _failed(payload.source, "", "payload@read", Text(
                f"无法读取：{why.zh}", f"cannot read: {why.en}"))
        spec = self.spec_for(payload)
        detected = None
        if spec is None and self.config.spec is None:
            detected = detect_platform(payload.data, self.config.options.limits)
            if detected is not None:
                spec = load_spec(detected.spec, detected.layer)
        if spec is None:
            sha = hashlib.sha256(payload.data).hexdigest()
            broken = _parse_failure(payload, self.config.options)
            if broken is not None:  # the real problem: say it, where it is
                return Result(payload.source, "error", None, None, _encoding(payload), sha,
                              (broken,), error=broken.message)
            rule = "payload@empty" if is_blank(payload.data) else "payload@spec"
            return _failed(payload.source, sha, rule, why_no_spec(
                payload.data, _encoding(payload), self.bundled()))
        opts = dataclasses.replace(self.config.options, version_notes=True)
        if self.config.native_messages:
            named = self.config.native_messages.get(str(Path(payload.source).resolve()))
            if named is not None:
                opts = dataclasses.replace(opts, native_message=named)
        if payload.encoding_hint == "json" and opts.encoding is None:
            opts = dataclasses.replace(opts, encoding="json")
        return self.validator(spec, detected).validate(payload.data, payload.source, opts)

    def stream(self, paths: Iterable[str], skip: frozenset[Path] = frozenset(),
               jobs: int = 1, dask: str | None = None) -> Iterator[Result]:
        """Every input's result, in input order, as it is produced (context documents that
        are reported come before the payloads whose spec reads them); ``jobs`` > 1 validates
        on that many forked workers (validator.parallel), ``dask`` on a Dask cluster at that
        address or ``local`` (validator.dask_run). The run's request-id check is applied
        here, so it holds however the payloads were validated.

        ``skip``: files inside the given folders that are not payloads (resolved paths)."""
        if self.fixed is not None:
            self.validator(self.fixed)
        ids = RequestIds(self.config.options.fail_on,
                         None if self.platform is None else self.platform.id)
        limits = self.config.options.limits
        results: Iterable[Result]
        if dask is not None:
            from hegui.validator.dask_run import DASK_RANGE_BYTES, dask_results

            results = dask_results(self, expand_units(paths, limits, skip, DASK_RANGE_BYTES),
                                   dask)
        elif jobs > 1:
            from hegui.validator.jsonl_ranges import RANGE_BYTES, payloads_of, weight
            from hegui.validator.parallel import CHUNK, parallel_results

            # A pool costs more than a short run: workers only when there is more than a
            # chunk of payloads (the first ones are read to know). JSON Lines files are
            # split into ranges the workers read (validator.jsonl_ranges).
            units = expand_units(paths, limits, skip, RANGE_BYTES)
            head = list(itertools.islice(units, CHUNK + 1))
            units = itertools.chain(head, units)
            if sum(weight(u) for u in head) > CHUNK:
                results = parallel_results(self, units, jobs)
            else:
                results = (self.validate(p) for p in payloads_of(units, limits))
        else:
            results = (self.validate(p) for p in expand(paths, limits, skip))
        remote = dask is not None or jobs > 1  # results may come from another process
        shown = 0
        for r in results:
            contexts = self.shown_contexts()
            yield from contexts[shown:]
            shown = len(contexts)
            if remote:
                self._register(r)
            yield ids.check(r)
        yield from self.shown_contexts()[shown:]

    def shown_contexts(self) -> list[Result]:
        """The context documents' results a report lists (all with ``include_contexts``)."""
        return [r for r in self._context_results
                if self.config.include_contexts or r.verdict != "conformant"]

    def _register(self, r: Result) -> None:
        """Know the spec a worker judged ``r`` against (reports read it)."""
        if r.spec is not None and r.spec.name not in self.specs:
            try:
                spec = load_spec(f"{r.spec.id}@{r.spec.version}", r.spec.profile)
            except HeguiError:
                return  # a spec folder the parent compiled already is registered
            self.specs[spec.name] = spec

    def provenance(self) -> dict[str, Any]:
        """The options of the run that change verdicts (every report records them)."""
        opts = self.config.options
        spec = self.config.spec
        named = f"{spec.id}@{spec.version}" if isinstance(spec, Spec) else spec
        return {"spec": named, "profile": self.config.profile,
                "platform": None if self.platform is None else self.platform.id,
                "native_message": opts.native_message, "keys": self.config.keys is not None,
                **({"now": self.config.now.isoformat(timespec="seconds")}
                   if self.config.now is not None else {}),
                "message_type": opts.message_type,
                "encoding": opts.encoding, "fail_on": opts.fail_on,
                "contexts": dict(self.config.contexts)}

    def spooled(self, paths: Iterable[str], skip: frozenset[Path] = frozenset(), jobs: int = 1,
                dask: str | None = None) -> Batch:
        """:meth:`run` at flat memory: the results on disk (:class:`ResultSpool`), the
        context documents a report lists first kept in memory ahead of them."""
        started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        spool = ResultSpool()
        try:
            for r in self.stream(paths, skip, jobs, dask):
                if any(r is c for c in self._context_results):
                    spool.add_head(r)
                else:
                    spool.append(r)
        except BaseException:
            spool.close()
            raise
        return Batch(spool, __version__, started_at, self.provenance())

    def run(self, paths: Iterable[str], started_at: str | None = None,
            skip: frozenset[Path] = frozenset(), jobs: int = 1,
            dask: str | None = None) -> Batch:
        """Validate every input of ``paths`` (:meth:`stream`), all results kept."""
        started_at = started_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        results = list(self.stream(paths, skip, jobs, dask))
        shown = {id(r) for r in self.shown_contexts()}  # context documents first
        ordered = [r for r in results if id(r) in shown] + [
            r for r in results if id(r) not in shown]
        return Batch(tuple(ordered), __version__, started_at, self.provenance())


def _platform_spec(platform: Platform, spec: str | Spec | None) -> str:
    """The spec version a platform profile maps onto (``--spec``, when given, must agree)."""
    if spec is not None:
        named = f"{spec.id}@{spec.version}" if isinstance(spec, Spec) else spec
        if named not in (platform.spec, platform.spec.split("@")[0]):
            raise UsageError(
                f"平台配置 {platform.id} 映射到 {platform.spec}，与 --spec {named} 不符 / "
                f"platform profile {platform.id} maps onto {platform.spec}, not --spec {named}")
    return platform.spec


def _ordered(name: str, profile: str | None) -> list[Spec]:
    """The versions of spec ``name`` (those offering ``profile``, when given): the current
    version first, then the others newest first."""
    current = load_spec(name).version
    versions = list(reversed(DEFAULT.versions(name, profile)))
    return ([v for v in versions if v.version == current]
            + [v for v in versions if v.version != current])


def _spec_of_contexts(contexts: Mapping[str, str], profile: str | None) -> Spec:
    """The bundled spec the context documents name (their message type or XML namespace):
    ``--checklist my-list.yaml`` needs no ``--spec``."""
    bundled = [s for sid in bundled_spec_ids() for s in _ordered(sid, None)]
    for name, path in contexts.items():
        doc = _load_document(path, _read(path))
        spec = spec_for_message_type(str(doc.get("messageType")), bundled,
                                     str(doc.get("specVersion")))
        if spec is not None and name in spec.contexts:
            return load_spec(spec.folder, profile) if profile else spec
    names = ", ".join(f"{n}={p}" for n, p in contexts.items())
    raise UsageError(f"无法从上下文文档 {names} 确定规范，请用 --spec 指定 / cannot tell the spec "
                     f"from the context documents {names}; use --spec")


def _encoding(payload: Payload) -> Encoding | None:
    return payload.encoding_hint or sniff_encoding(payload.data, payload.source)


def _parse_failure(payload: Payload, options: Options) -> Finding | None:
    """The parse error of a payload no spec was found for, if it does not parse."""
    encoding = options.encoding or _encoding(payload)
    if encoding is None or is_blank(payload.data):
        return None
    try:
        if encoding == "json":
            parse_json(payload.data, options.limits)
        else:
            parse_xml(payload.data, options.limits)
    except (JsonParseError, XmlParseError) as exc:
        return Finding(f"payload@{exc.facet}", "error", parse_text(exc.facet, exc.text), "parse",
                       Location(pointer="" if encoding == "json" else None,
                                xpath="/" if encoding == "xml" else None,
                                line=exc.line, column=exc.column))
    return None


def _failed(source: str, sha: str, rule_id: str, text: Text) -> Result:
    finding = Finding(rule_id, "error", text, "parse", Location())
    return Result(source, "error", None, None, None, sha, (finding,), error=text)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc} / 无法读取 {path}") from None


def _load_document(path: str, data: bytes) -> dict[str, Any]:
    """A context document from JSON, XML or YAML, as its JSON encoding."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            doc = yaml.safe_load(data.decode("utf-8"))
        elif suffix == ".xml" or sniff_encoding(data, path) == "xml":
            root = parse_xml(data).root
            spec = spec_for_namespace(etree.QName(root).namespace,
                                      (s for sid in bundled_spec_ids()
                                       for s in DEFAULT.versions(sid)))
            if spec is None:
                raise UsageError(f"{path}: XML 命名空间不属于任何内置规范 / "
                                 "XML namespace of no bundled spec")
            doc, _ = xml_to_json(root, spec, spec.message_types[etree.QName(root).localname])
        else:
            doc = parse_json(data).value
    except (yaml.YAMLError, UnicodeDecodeError, JsonParseError, XmlParseError, KeyError) as exc:
        raise UsageError(f"cannot load {path}: {exc} / 无法加载 {path}") from None
    if not isinstance(doc, dict):
        raise UsageError(f"{path}: not a document object / 不是文档对象")
    return doc


def _is_yaml(path: str) -> bool:
    return Path(path).suffix.lower() in (".yaml", ".yml")


def _as_payload_bytes(doc: dict[str, Any], path: str, data: bytes) -> bytes:
    return orjson.dumps(doc) if _is_yaml(path) else data


def _yaml_positions(result: Result, data: bytes) -> Result:
    """Findings on a YAML document validated as JSON: lines and columns from the YAML source."""
    try:
        located = load_located(data.decode("utf-8"), "context")
    except (yaml.YAMLError, UnicodeDecodeError):
        return result
    findings = []
    for f in result.findings:
        tokens = tuple(pointer_tokens(f.location.pointer or ""))
        line, col = located.where(tokens) or (None, None)
        findings.append(dataclasses.replace(
            f, location=dataclasses.replace(f.location, line=line, column=col)))
    return dataclasses.replace(result, findings=tuple(findings))
