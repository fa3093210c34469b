"""The ``graphkg`` command line."""

from __future__ import annotations

import dataclasses
import json
import logging
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from graphkg import __version__
from graphkg.backup import restore_backup, write_backup
from graphkg.client import ServerWrites
from graphkg.coverage import UNEXPLAINED, article_coverage
from graphkg.errors import FactFileError, GraphkgError, StoreBusy, ValidationFailed, WriteRefused
from graphkg.formats import GRAPH_FORMATS, RDF_FORMATS, RESULTS_FORMATS
from graphkg.history import History, local_author
from graphkg.pipeline import (
    check_store,
    find_seed_files,
    map_files,
    validate_files,
)
from graphkg.problems import Problem
from graphkg.queries import load_named_queries
from graphkg.resources import resource_dir
from graphkg.results import write_results
from graphkg.settings import (
    QUERY_POOL_VARIABLE,
    WRITE_SERVICE_VARIABLE,
    Settings,
    load_settings,
    store_location,
)
from graphkg.store import (
    check_servable,
    open_built_store,
    open_store,
    store_is_built,
)
from graphkg.terminal import short_iri, solutions_table, terminal_width
from graphkg.tokens import ADMIN, client_token, write_tokens
from graphkg.validation import ValidationReport
from graphkg.writer import WriteOutcome, Writer, WriteRequest

TEXT_OR_JSON = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for machines.",
)
STRICT_HELP = (
    "Refuse, naming them, instead of keeping as shared entities what the article's old "
    "version declared and other articles still reference."
)
SHUTDOWN_GRACE_SECONDS = 3
"""How long Ctrl-C lets requests in flight finish before the server stops them."""


class _Group(click.Group):
    """Renders graphkg's own errors as messages, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as error:
            click.echo(error.report.as_text(), err=True)
            sys.exit(1)
        except FactFileError as error:
            click.echo(ValidationReport.of_problems(error.problems).as_text(), err=True)
            sys.exit(1)
        except GraphkgError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)


def _progress_bar(length: int, label: str) -> Any:
    """A progress bar on stderr, so that what a command prints stays machine-readable."""
    return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True)


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings()


def _store_option(command: Any) -> Any:
    """``--store DIR`` after the command too (``graphkg stats --store DIR``)."""

    def override(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.obj = dataclasses.replace(_settings(ctx), store=store_location(value))

    return click.option(
        "--store",
        expose_value=False,
        is_eager=True,
        callback=override,
        help="Store directory or remote store URL (as before the command).",
    )(command)


def _server_option(command: Any) -> Any:
    """``--server URL``: send the write to a running graphkg server."""

    def override(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.obj = dataclasses.replace(_settings(ctx), server=value)

    return click.option(
        "--server",
        expose_value=False,
        callback=override,
        help="Send the write to the graphkg server at this URL [env GRAPHKG_SERVER].",
    )(command)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="graphkg")
@click.option(
    "--store",
    help="Store directory, or the http(s) URL of a SPARQL 1.1 store "
    "[env GRAPHKG_STORE; default data/store].",
)
@click.option("--base", help="Base IRI for minted IRIs [env GRAPHKG_BASE].")
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML settings file [env GRAPHKG_CONFIG].",
)
@click.pass_context
def main(ctx: click.Context, store: Path | None, base: str | None, config: Path | None) -> None:
    """graphkg: facts from news articles as a validated RDF knowledge graph."""
    try:
        ctx.obj = load_settings(config_file=config, overrides={"store": store, "base": base})
    except GraphkgError as error:
        raise click.UsageError(str(error)) from None


@main.command()
@_store_option
@click.argument(
    "seeds", required=False, type=click.Path(path_type=Path, file_okay=False, exists=True)
)
@click.pass_context
def build(ctx: click.Context, seeds: Path | None) -> None:
    """Validate every fact file in SEEDS, then load them into a fresh store.

    Nothing is written unless every file conforms; re-running gives the same store.
    """
    settings = _settings(ctx)
    seeds = seeds or settings.seeds or resource_dir("seeds")
    files = find_seed_files(seeds)
    writer = Writer(settings)
    started = validated = time.perf_counter()

    def progress(_: Path) -> None:
        nonlocal validated
        validated = time.perf_counter()
        bar.update(1)

    with _progress_bar(len(files.all), "validating") as bar:
        stored, per_graph = writer.build(seeds, local_author(), progress=progress)
    finished = time.perf_counter()
    click.echo(
        f"built {settings.store}: {stored} source(s), {sum(per_graph.values())} triples "
        f"in {len(per_graph)} graphs; validated in {validated - started:.1f} s "
        f"({stored / max(validated - started, 1e-9):.1f} files/s), "
        f"stored in {finished - validated:.1f} s"
    )


@main.command()
@_store_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people; json, or turtle (the SHACL results graph), for machines.",
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], output_format: str) -> None:
    """Check fact files against the ontology and shapes; exit 1 if any violation.

    Warnings (such as sentences no fact cites) are shown but do not fail.
    Entities are looked up in the store when it exists; nothing is changed.
    """
    settings = _settings(ctx)
    kg = open_built_store(settings)
    report = validate_files(
        list(files),
        base=settings.base,
        kg=kg,
        limits=settings.input_limits,
        processes=settings.validation_processes,
    )
    rendered = {
        "text": report.as_text,
        "json": report.as_json,
        "turtle": report.as_turtle,
    }[output_format]()
    click.echo(rendered, err=output_format == "text" and not report.conforms)
    sys.exit(0 if report.conforms else 1)


COVERAGE_MAX_WIDTH = 100
"""Widest the coverage listing wraps to, however wide the terminal: long lines read badly."""


@main.command()
@_store_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@TEXT_OR_JSON
@click.pass_context
def coverage(ctx: click.Context, file: Path, output_format: str) -> None:
    """List each sentence of FILE's article with the facts citing it; exit 1 if any is unexplained.

    A sentence is cited, marked `uncaptured` with a reason, or unexplained.
    Entities are looked up in the store when it exists; nothing is changed.
    """
    settings = _settings(ctx)
    mapped = map_files(
        [file], base=settings.base, kg=open_built_store(settings), limits=settings.input_limits
    )
    if mapped.problems:
        raise FactFileError(mapped.problems)
    covered = article_coverage(mapped.sources[0])
    if covered is None:
        problem = Problem(
            str(file),
            None,
            None,
            "article",
            "this file describes no article, so it has no sentences to cover",
            fix="run `graphkg coverage` on an article's fact file",
        )
        raise FactFileError([problem])
    if output_format == "json":
        click.echo(covered.as_json())
    else:
        width = min(shutil.get_terminal_size().columns, COVERAGE_MAX_WIDTH)
        click.echo(covered.as_text(width=width))
    sys.exit(1 if covered.count(UNEXPLAINED) else 0)


@main.command()
@_store_option
@_server_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.pass_context
def add(ctx: click.Context, files: tuple[Path, ...], strict: bool) -> None:
    """Validate FILES, then add or replace their articles, all in one transaction.

    Later files may use the ids earlier ones declare. If any file does not conform,
    nothing is added.
    """
    settings = _settings(ctx)
    writes, where = _writes(settings)
    with _progress_bar(len(files), "validating") as bar:
        outcome = writes.add_paths(
            list(files),
            WriteRequest(local_author(), ADMIN, strict=strict, report_type="text/plain"),
            progress=lambda _: bar.update(1),
        )
    done = _done(outcome)
    for source in done["sources"]:
        name = f"{source['article'] or 'entities'} from {source['file']}"
        if not done["changed"]:
            click.echo(f"unchanged: {name}, as the store already holds it{where}")
            continue
        click.echo(f"added {name} (+{source['added']} -{source['removed']} triples){where}")
        _say_kept(source.get("kept_for_others", []), [])


def _writes(settings: Settings) -> tuple[Writer | ServerWrites, str]:
    """The store's writer, this command's own; or, when a server holds the store or
    ``server`` names one, the server's writes; and where they are made."""
    if settings.server:
        return ServerWrites(settings.server, client_token(settings)), f" at {settings.server}"
    try:
        return Writer(settings), ""
    except StoreBusy as busy:
        if busy.server is None:
            raise
        click.echo(f"the graphkg server at {busy.server} holds the store: sending it", err=True)
        return ServerWrites(busy.server, client_token(settings)), f" at {busy.server}"


def _done(outcome: WriteOutcome) -> dict[str, Any]:
    """What a write did; its report or error, and exit 1, when it was refused."""
    if outcome.status == 422:
        click.echo(outcome.body.decode(), err=True)
        sys.exit(1)
    if outcome.error is not None:
        raise WriteRefused(outcome.error)
    done: dict[str, Any] = json.loads(outcome.body)
    return done


@main.command()
@_store_option
@_server_option
@click.argument("article_id")
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.pass_context
def remove(ctx: click.Context, article_id: str, strict: bool) -> None:
    """Remove an article and everything it contributed, in one transaction."""
    settings = _settings(ctx)
    writes, where = _writes(settings)
    done = _done(writes.remove(article_id, WriteRequest(local_author(), ADMIN, strict=strict)))
    click.echo(f"removed {article_id} ({done['triples_removed']} triples){where}")
    _say_kept(done["kept_for_others"], done["referenced_by"])


def _say_kept(ids: list[str], referenced_by: list[str]) -> None:
    if ids:
        click.echo(
            f"kept {', '.join(ids)} as shared entities (source retained): "
            f"{', '.join(referenced_by) or 'other articles'} still reference them"
        )


@main.command()
@_store_option
@_server_option
@click.argument("article_id")
@click.argument("version", type=int)
@click.pass_context
def restore(ctx: click.Context, article_id: str, version: int) -> None:
    """Put back the version of ARTICLE_ID that change VERSION made (see `graphkg history`),
    validated against the store as it is now, and recorded as a change."""
    settings = _settings(ctx)
    writes, where = _writes(settings)
    request = WriteRequest(local_author(), ADMIN, report_type="text/plain")
    outcome = writes.restore(article_id, version, request)
    done = _done(outcome)
    click.echo(
        f"restored {article_id} to version {version}{where}"
        if done["changed"]
        else f"unchanged: {article_id} is as version {version} left it"
    )


@main.command()
@_store_option
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def backup(ctx: click.Context, folder: Path) -> None:
    """Back the whole store up into FOLDER (new or empty), history included, while it
    serves; `graphkg restore-backup FOLDER` puts it back, on either backend."""
    manifest = write_backup(_settings(ctx), folder)
    click.echo(
        f"backed up {manifest.quads:,} quads (version {manifest.version}) and "
        f"{manifest.changes} changes of history into {folder}"
    )


@main.command("restore-backup")
@_store_option
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.pass_context
def restore_backup_command(ctx: click.Context, folder: Path) -> None:
    """Replace the whole store and its history by the backup in FOLDER (checked against
    its manifest first); the restore is recorded in the history."""
    manifest = restore_backup(_settings(ctx), folder, author=local_author())
    click.echo(
        f"restored {manifest.quads:,} quads and {manifest.changes} changes of history "
        f"from the backup made {manifest.created}"
    )


@main.command()
@_store_option
@TEXT_OR_JSON
@click.pass_context
def check(ctx: click.Context, output_format: str) -> None:
    """Validate every stored article again against the current ontology and shapes (after
    either changed), on every core, reporting per article; exit 1 if any does not conform."""
    settings = _settings(ctx)
    kg = open_store(settings)
    with _progress_bar(len(kg.article_ids()), "checking") as bar:
        reports = check_store(
            kg, processes=settings.validation_processes, progress=lambda _: bar.update(1)
        )
    failed = sorted(article for article, report in reports.items() if not report.conforms)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    article: {
                        "conforms": report.conforms,
                        "problems": [p.as_dict() for p in report.problems],
                    }
                    for article, report in reports.items()
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for article in failed:
            click.echo(f"{article}:\n{reports[article].as_text()}\n")
        click.echo(
            f"{len(reports) - len(failed)} of {len(reports)} articles conform"
            + (f"; {len(failed)} do not: {', '.join(failed)}" if failed else "")
        )
    sys.exit(1 if failed else 0)


@main.command()
@_store_option
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index whole from the store. Every write keeps it in step; this
    is for a remote store written behind graphkg's back, or an index lost."""
    settings = _settings(ctx)
    try:
        writer = Writer(settings)
    except StoreBusy as busy:
        holder = f"the graphkg server at {busy.server}" if busy.server else "another process"
        raise GraphkgError(
            f"{holder} is writing the store, and its writer keeps the search index in step "
            "(and makes a missing one when it opens): stop it, then run `graphkg reindex`"
        ) from None
    try:
        started = time.perf_counter()
        texts = writer.reindex()
    finally:
        writer.close()
    click.echo(
        f"reindexed {settings.store}: {texts} texts in {time.perf_counter() - started:.1f} s"
    )


@main.command()
@_store_option
@click.argument("article_id", required=False)
@click.option("--limit", type=int, default=50, show_default=True, help="Most changes listed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def history(ctx: click.Context, article_id: str | None, limit: int, as_json: bool) -> None:
    """The changes made to the store, newest first (those to ARTICLE_ID only)."""
    entries = History.open(_settings(ctx)).entries(article=article_id, limit=limit)
    if as_json:
        click.echo(json.dumps([entry.as_dict() for entry in entries], indent=2))
        return
    if not entries:
        click.echo("no changes recorded" + (f" for {article_id}" if article_id else ""))
    for entry in entries:
        click.echo(
            f"{entry.id:>6}  {entry.at[:19].replace('T', ' ')}  {entry.author}  {entry.action}"
        )
        for touched in entry.touched:
            name = touched.article or touched.graph
            click.echo(f"        {name}: +{touched.added} -{touched.removed}")


def _query_text(query: str | None, file: Path | None) -> tuple[str, str | None]:
    """The SPARQL text and, for a named query, its name."""
    if file is not None:
        return file.read_text(encoding="utf-8"), None
    if query is None:
        raise click.UsageError("give a query, `--file FILE`, or a named query such as `timeline`")
    named = load_named_queries()
    name = query.removeprefix("queries/").removesuffix(".rq")
    if name in named:
        return named[name].sparql, name
    if Path(query).is_file():
        return Path(query).read_text(encoding="utf-8"), None
    return query, None


@main.command()
@_store_option
@click.argument("query", required=False)
@click.option(
    "--file",
    "-f",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Read the query from a file.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A named-query parameter (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", *RESULTS_FORMATS, *GRAPH_FORMATS]),
    default=None,
    help="Solutions: table (default), csv, tsv, json, xml. "
    "Graphs: turtle (default), ntriples, jsonld, rdfxml.",
)
@click.option(
    "--no-union",
    is_flag=True,
    help="Query the store's default graph, not the union of data graphs.",
)
@click.option(
    "--wide",
    is_flag=True,
    help="Table: print every cell in full instead of fitting the terminal's width.",
)
@click.pass_context
def query(
    ctx: click.Context,
    query: str | None,
    file: Path | None,
    params: tuple[str, ...],
    output_format: str | None,
    no_union: bool,
    wide: bool,
) -> None:
    """Run SPARQL from an argument, a file, or a named query (queries/NAME).

    The table shows IRIs by their labels or CURIEs and fits the terminal's width;
    the other formats keep full IRIs and exact values.
    """
    settings = _settings(ctx)
    text, name = _query_text(query, file)
    values = dict(p.partition("=")[::2] for p in params)
    substitutions = {}
    kg = open_store(settings)
    if name is not None:
        substitutions = load_named_queries()[name].substitutions(values, kg)
    elif values:
        raise click.UsageError("--param only applies to named queries")
    results = kg.query(text, substitutions=substitutions, union_default_graph=not no_union)
    if isinstance(results, ox.QuerySolutions) and output_format in (None, "table"):
        width = None if wide else terminal_width()
        click.echo(solutions_table(results, kg, width=width), nl=False)
        return
    write_results(results, sys.stdout.buffer, format=output_format)
    sys.stdout.buffer.flush()


@main.command()
@_store_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(RDF_FORMATS)),
    default="turtle",
    show_default=True,
)
@click.option("--graph", help="Export only this named graph (by IRI).")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE instead of standard output.",
)
@click.pass_context
def export(ctx: click.Context, output_format: str, graph: str | None, output: Path | None) -> None:
    """Dump the data graphs (N-Quads, TriG, JSON-LD keep graphs; others give the union)."""
    settings = _settings(ctx)
    kg = open_store(settings)
    if output is None:
        kg.export(sys.stdout.buffer, RDF_FORMATS[output_format], graph=graph)
        sys.stdout.buffer.flush()
        return
    with output.open("wb") as stream:
        kg.export(stream, RDF_FORMATS[output_format], graph=graph)
    click.echo(f"wrote {output}", err=True)


@main.command()
@_store_option
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Triples per graph and entities per class (classes as CURIEs)."""
    settings = _settings(ctx)
    kg = open_store(settings)
    numbers = kg.stats()
    click.echo(f"store: {settings.store}")
    click.echo(f"triples: {numbers.total}")
    click.echo("triples per graph:")
    for graph, count in numbers.triples_per_graph.items():
        click.echo(f"  {count:>8}  {graph}")
    click.echo("entities per class:")
    for cls, count in numbers.entities_per_class.items():
        click.echo(f"  {count:>8}  {short_iri(cls, kg.base)}")


def _intended_thread_count(record: logging.LogRecord) -> bool:
    """Leave out granian's warning that more threads than twice the cores "seems quite
    high": a request's thread here mostly waits for a query worker, with the interpreter
    free, so the default of 16 is meant (see docs/server.md). A user could not act on it."""
    return "seems quite high" not in record.getMessage()


@main.command()
@_store_option
@click.option("--host", help="Address to listen on [default 127.0.0.1].")
@click.option("--port", type=int, help="Port to listen on [default 8000].")
@click.option("--workers", type=int, help="Query worker processes [default: cores, at least 2].")
@click.option("--http-processes", type=int, help="HTTP processes [default 1].")
@click.option("--threads", type=int, default=16, show_default=True, help="HTTP threads.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    workers: int | None,
    http_processes: int | None,
    threads: int,
) -> None:
    """Serve the SPARQL endpoint, linked data and pages (building the store first if empty)."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    from graphkg.server.app import start_query_pool
    from graphkg.server.metrics import share_directory
    from graphkg.writer import Writer, WriteService

    flags = {"host": host, "port": port, "workers": workers, "http_processes": http_processes}
    settings = dataclasses.replace(
        _settings(ctx), **{name: value for name, value in flags.items() if value is not None}
    )
    if not store_is_built(settings):
        click.echo(f"the store {settings.store} is empty: building it from the seeds", err=True)
        writer = Writer(settings)
        writer.build(settings.seeds or resource_dir("seeds"), local_author())
        writer.close()  # the server opens its own, with write tokens
    check_servable(settings)
    root = f"http://{settings.host}:{settings.port}/"
    click.echo(f"graphkg serving {settings.store}")
    click.echo(f"  query page:      {root}")
    click.echo(f"  SPARQL endpoint: {root}sparql")
    click.echo("press Ctrl-C to stop", err=True)
    # Where the HTTP processes add up their counts and keep their response
    # cache; what a killed server that had this process id left must not count.
    shared = share_directory(os.getpid())
    shutil.rmtree(shared, ignore_errors=True)
    settings = settings.resolved()
    # glibc gives each thread that allocates its own heap (up to eight per
    # core), which keeps what it freed: the threads of an HTTP process, each
    # having built a large answer once, held 20 to 60 MiB more on a store of
    # 2,500 articles than of 250. Two heaps per process keep it flat in the
    # store's size. Set before the processes start, which read it once.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # The query workers belong to this process, and every HTTP process sends them queries.
    pool = start_query_pool(settings)
    # So does the store's writer, when the server takes writes: one writer for all.
    service = None
    if write_tokens(settings):
        local = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
        service = WriteService(Writer(settings, server=f"http://{local}:{settings.port}/"))
        os.environ[WRITE_SERVICE_VARIABLE] = service.address
        click.echo("  writes:          POST /facts with a write token", err=True)
    # The app is made in each HTTP process, from these settings; the processes
    # are started fresh rather than forked from this one, which runs the pool's threads.
    os.environ.update(settings.as_environment())
    os.environ[QUERY_POOL_VARIABLE] = pool.address
    multiprocessing.set_start_method("spawn", force=True)
    logging.getLogger("_granian").addFilter(_intended_thread_count)
    try:
        Granian(
            "graphkg.server.app:app_from_environment",
            factory=True,
            address=settings.host,
            port=settings.port,
            interface=Interfaces.WSGI,
            websockets=False,  # WSGI has none: said at start otherwise
            workers=settings.http_processes,
            blocking_threads=threads,
            log_access=False,
            # Ctrl-C waits this long for requests in flight, then stops them.
            workers_kill_timeout=SHUTDOWN_GRACE_SECONDS,
            # A head longer than the read buffer gets 431 before any Python runs.
            # The buffer grows in steps, so the cap is the setting rounded up to
            # the next step (the app checks the exact limit); and hyper, under
            # granian, panics on every connection if it is under 8 KiB.
            http1_settings=HTTP1Settings(max_buffer_size=max(settings.max_header_bytes, 8192)),
        ).serve()
    finally:
        pool.close()
        if service is not None:
            service.close()
        shutil.rmtree(shared, ignore_errors=True)
