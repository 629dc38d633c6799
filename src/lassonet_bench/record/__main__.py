"""The record's command line: `python -m lassonet_bench.record --help` (the commands are listed in the package)."""

import argparse
import subprocess
import sys
from pathlib import Path

import lassonet_bench.record as record_package
from lassonet_bench.io import atomic_path
from lassonet_bench.record import drift
from lassonet_bench.record.gathering import export, export_figures, take_slice
from lassonet_bench.record.make import make
from lassonet_bench.record.progress import save_progress
from lassonet_bench.record.rendering import readme_with_status, render
from lassonet_bench.reporting.html import markdown_page


def main(argv=None):
    parser = argparse.ArgumentParser(description=record_package.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gather = commands.add_parser("export", help="gather runs from results folders into a record, then render it")
    gather.add_argument("--results", nargs="+", required=True)
    gather.add_argument("--to", required=True)
    draw = commands.add_parser("render", help="render a record's tables, report and summary from its files")
    draw.add_argument("record")
    draw.add_argument("--out", help="another folder to render into (default: the record itself)")
    page = commands.add_parser("html", help="the record's replication report as one self-contained web page")
    page.add_argument("record")
    page.add_argument("--out", help="the page's path (default: <record>/replication_report.html)")
    figures = commands.add_parser("figures", help="copy a results folder's figures into the record")
    figures.add_argument("--results", required=True)
    figures.add_argument("--commit", required=True, help="the commit of the code that made them")
    figures.add_argument("--to", required=True)
    status = commands.add_parser("readme", help="copy the record's STATUS.md into the README's status block")
    status.add_argument("record", nargs="?", default="replication")
    whole = commands.add_parser("make", help="the whole record at this commit: protocol, experiments, record")
    whole.add_argument("--cores", default="all")
    whole.add_argument("--resume-from", help="a folder of this commit's progress that save-progress wrote")
    progress = commands.add_parser("save-progress", help="save the finished jobs' files of results/ to a folder")
    progress.add_argument("--to", required=True)
    guard = commands.add_parser("check", help="recompute the record's guarded slice with the workflow and compare")
    guard.add_argument("record", nargs="?", default="replication")
    guard.add_argument("--work", help="scratch folder for the slice's workflow (default: .drift-guard)")
    guard.add_argument("--cores", type=int, default=2)
    guard.add_argument("--update", action="store_true", help="write the new numbers into the record instead")
    status.add_argument("--readme", default="README.md")
    args = parser.parse_args(argv)
    if args.command == "export":
        export(args.results, args.to)
    elif args.command == "render":
        render(args.record, args.out)
    elif args.command == "make":
        make(cores=args.cores, resume_from=args.resume_from)
    elif args.command == "save-progress":
        # The commit of the checkout it is run in (the record's worktree), whichever copy of this code runs
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        print(f"saved {save_progress(Path.cwd(), args.to, commit)} files of results/ to {args.to}")
    elif args.command == "check":
        work = Path(args.work or ".drift-guard")
        if args.update:
            take_slice(args.record, drift.recompute_slice(args.record, work, args.cores))
            problems = []
        else:
            problems = drift.check(args.record, work, args.cores)
        if problems:
            print(drift.guard_message(problems, args.record), file=sys.stderr)
            return 1
        print("the guarded slice " + ("was written into" if args.update else "reproduces") + f" the record {args.record}")
    elif args.command == "figures":
        print("copied:", ", ".join(export_figures(args.results, args.to, args.commit)))
    elif args.command == "html":
        out = Path(args.out or Path(args.record) / "replication_report.html")
        with atomic_path(out) as tmp:
            tmp.write_text(markdown_page(Path(args.record) / "replication_report.md", "Replication report"), encoding="utf-8")
    else:
        readme = Path(args.readme)
        text = readme_with_status(readme.read_text(encoding="utf-8"), (Path(args.record) / "STATUS.md").read_text())
        with atomic_path(readme) as tmp:
            tmp.write_text(text, encoding="utf-8")



if __name__ == "__main__":
    sys.exit(main())
