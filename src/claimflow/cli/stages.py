"""Pipeline commands: one per stage (ingest, split, tag, classify) and ``run`` for them all.

Each calls a runner of ``claimflow.runner``, imported inside the command: the runners load
spaCy, which ``claimflow --help`` should not wait for. The same holds for the output specs
of ``claimflow.contract`` (pyarrow).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimflow.cli._util import (
    BatchOpt,
    ConfigOpt,
    ForceOpt,
    ModelOpt,
    ProcOpt,
    SetOpt,
    WaitOpt,
    app,
    report_skip,
    run_stages,
    settings_from_flags,
    user_errors,
)

ENGINES = ("local", "dask")
FollowOpt = Annotated[
    bool,
    typer.Option("--follow-symlinks", help="Follow symlinks that point outside RAW_DIR "
                                           "(default: skip and report them)."),
]


@app.command()
@user_errors
def ingest(
    raw_dir: Annotated[
        Path, typer.Argument(help="Folder of statements (.txt .md .html .jsonl .csv).")
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="documents.parquet to write.")] = Path(
        "data/processed/documents.parquet"
    ),
    config: ConfigOpt = None,
    sets: SetOpt = None,
    force: ForceOpt = False,
    wait: WaitOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Read RAW_DIR into documents.parquet (cleaned text + metadata).

    Skipped or duplicate files are listed in ingest_report.parquet beside the output.
    """
    from claimflow.runner.pipeline import run_ingest

    settings = settings_from_flags(config, sets,
                                   ingest__follow_symlinks=follow_symlinks or None)
    run_stages(lambda progress: run_ingest(raw_dir, out, settings, force, progress,
                                           report_skip, wait=wait), settings)


@app.command()
@user_errors
def split(
    documents: Annotated[Path, typer.Argument(help="documents.parquet from `ingest`.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="sentences.parquet to write.")] = Path(
        "data/processed/sentences.parquet"
    ),
    config: ConfigOpt = None,
    sets: SetOpt = None,
    model: ModelOpt = None,
    batch_size: BatchOpt = None,
    force: ForceOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Split documents.parquet into sentences.parquet (offsets into documents.text, language)."""
    from claimflow.runner.pipeline import run_split

    settings = settings_from_flags(config, sets, nlp__model=model, nlp__batch_size=batch_size)
    run_stages(lambda progress: run_split(documents, out, settings, force, progress,
                                          wait=wait), settings)


@app.command()
@user_errors
def tag(
    sentences: Annotated[Path, typer.Argument(help="sentences.parquet from `split`.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="entities.parquet to write.")] = Path(
        "data/processed/entities.parquet"
    ),
    documents: Annotated[
        Path | None, typer.Option(help="documents.parquet (default: beside SENTENCES).")
    ] = None,
    config: ConfigOpt = None,
    sets: SetOpt = None,
    model: ModelOpt = None,
    batch_size: BatchOpt = None,
    processes: ProcOpt = None,
    force: ForceOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Tag entities and political actors in English sentences -> entities.parquet.

    Also writes tokens.parquet beside it: the parse that `classify` reuses.
    """
    from claimflow.contract.schemas import DOCUMENTS
    from claimflow.runner.pipeline import run_tag

    settings = settings_from_flags(
        config, sets, nlp__model=model, nlp__batch_size=batch_size, nlp__processes=processes
    )
    documents = documents or sentences.parent / DOCUMENTS.filename
    run_stages(lambda progress: run_tag(sentences, documents, out, settings, force,
                                        progress, wait=wait), settings)


@app.command()
@user_errors
def classify(
    sentences: Annotated[Path, typer.Argument(help="sentences.parquet from `split`.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="claims.parquet to write.")] = Path(
        "data/processed/claims.parquet"
    ),
    entities: Annotated[
        Path | None, typer.Option(help="entities.parquet (default: beside SENTENCES).")
    ] = None,
    documents: Annotated[
        Path | None, typer.Option(help="documents.parquet (default: beside SENTENCES).")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option("--model-dir", help="Trained claim model folder.")
    ] = None,
    config: ConfigOpt = None,
    sets: SetOpt = None,
    force: ForceOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Classify English sentences into denial / accusation / demand claims -> claims.parquet."""
    from claimflow.contract.schemas import DOCUMENTS, ENTITIES
    from claimflow.runner.pipeline import run_classify

    settings = settings_from_flags(config, sets, classify__model_dir=model_dir)
    entities = entities or sentences.parent / ENTITIES.filename
    documents = documents or sentences.parent / DOCUMENTS.filename
    run_stages(lambda progress: run_classify(sentences, entities, documents, out, settings,
                                             force, progress, wait=wait), settings)


@app.command()
@user_errors
def run(
    raw_dir: Annotated[Path, typer.Argument(help="Folder of statements to process.")],
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Output folder.")] = Path(
        "data/processed"
    ),
    config: ConfigOpt = None,
    sets: SetOpt = None,
    model: ModelOpt = None,
    batch_size: BatchOpt = None,
    processes: ProcOpt = None,
    engine: Annotated[
        str, typer.Option(metavar="|".join(ENGINES),
                          help="local (one machine) or dask (dask.distributed cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a "
                          "LocalCluster with --processes workers)."),
    ] = None,
    force: ForceOpt = False,
    wait: WaitOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Run every stage: RAW_DIR -> documents, sentences, entities (+tokens), claims parquet.

    Stages whose inputs and settings did not change are not recomputed. The outputs are
    published together with manifest.json only when every stage succeeded; one run at a
    time writes a folder (--wait waits for the other). With --processes N
    or --engine dask, split+tag+classify run on partitions of documents in parallel; the
    Dask engine writes each output as a folder of part files.
    """
    if engine not in ENGINES:
        raise typer.BadParameter(f"{engine!r} is not one of {', '.join(ENGINES)}",
                                 param_hint="--engine")
    from claimflow.runner.run import run_all

    settings = settings_from_flags(
        config, sets, nlp__model=model, nlp__batch_size=batch_size, nlp__processes=processes,
        ingest__follow_symlinks=follow_symlinks or None,
    )
    run_stages(lambda progress: run_all(raw_dir, out_dir, settings, force, progress,
                                        report_skip, engine=engine, scheduler=scheduler,
                                        wait=wait), settings)
