"""``jupyter devenv``: status, update, extend, disable, list, use, emulator, demo."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Dict, List, Optional

from .cli_config import FLAG_PREFIX, load_settings, split_flags
from .cli_words import OFF_WORDS, extend_duration, nothing_to_change, report, summary, update_duration
from .modelarts.errors import DevEnvError
from .modelarts.models import validate_update_body


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jupyter devenv",
        description="A ModelArts instance's auto-stop.",
        epilog="status, update, extend, disable, list and use read c.DevEnv.* from "
        "Jupyter's config files and the environment; a --DevEnv.<name>=<value> flag "
        "overrides both. In a Jupyter server's terminal or kernel they go through "
        "that server instead.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    status = sub.add_parser("status", help="show the instance and its auto-stop countdown")
    status.add_argument("--json", action="store_true", help="print the REST State as JSON")
    update = sub.add_parser("update", help="change the description or auto-stop settings")
    update.add_argument("--description")
    on_off = update.add_mutually_exclusive_group()
    on_off.add_argument("--enable", dest="enable", action="store_true", default=None)
    on_off.add_argument("--disable", dest="enable", action="store_false")
    update.add_argument("--duration", help="e.g. 2h, 90m or 7200 (seconds), 1-24 h")
    prompt = update.add_mutually_exclusive_group()
    prompt.add_argument("--prompt", dest="prompt", action="store_true", default=None)
    prompt.add_argument("--no-prompt", dest="prompt", action="store_false")
    update.add_argument("--json", action="store_true")
    extend = sub.add_parser("extend", help="renew the lease from now (current API only)")
    extend.add_argument("duration", help="e.g. 2h (1-72 h)")
    extend.add_argument(
        "--allow-earlier",
        action="store_true",
        help="go ahead even when the new stop comes earlier than the current one",
    )
    extend.add_argument("--json", action="store_true")
    disable = sub.add_parser("disable", help="turn auto-stop off")
    disable.add_argument("--json", action="store_true")
    listing = sub.add_parser("list", help="the project's instances of both API generations (*: in use)")
    listing.add_argument("--json", action="store_true", help="print the REST answer of GET instances as JSON")
    use = sub.add_parser("use", help="choose the instance, by id or exact name, without a restart")
    use.add_argument("instance", help="an instance id, or the exact name of one instance")
    doctor = sub.add_parser("doctor", help="check settings, credentials, network, clock and permissions")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    emu = sub.add_parser("emulator", help="serve the ModelArts emulator on 127.0.0.1")
    emu.add_argument("--port", type=int, default=8765)
    emu.add_argument("--access-key")
    emu.add_argument("--secret-key")
    emu.add_argument("--project-id")
    emu.add_argument("--stop-in", type=int, default=None, help="seconds to the seeded instance's stop")
    demo = sub.add_parser("demo", help="the emulator and JupyterLab wired to it")
    demo.add_argument("--port", type=int, default=8888)
    demo.add_argument("--no-browser", action="store_true")
    demo.add_argument("--backend", choices=["demanager", "notebooks"], default="demanager")
    return p


def _update_body(args: argparse.Namespace) -> Dict[str, Any]:
    body: Dict[str, Any] = {}
    if args.description is not None:
        body["description"] = args.description
    auto: Dict[str, Any] = {}
    if args.enable is not None:
        auto["enable"] = args.enable
    if args.duration is not None:
        auto["duration"] = update_duration(args.duration)
    if args.prompt is not None:
        auto["prompt"] = args.prompt
    if auto:
        body["spec"] = {"auto_stop": auto}
    if not body:
        raise nothing_to_change()
    return validate_update_body(body)


def main(argv: Optional[List[str]] = None) -> int:
    flags, rest = split_flags(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(rest)
    as_json = getattr(args, "json", False)
    if flags and args.command in ("emulator", "demo"):
        parser.error(
            f"{FLAG_PREFIX}* flags configure status, update, extend, disable, list and use, not "
            f"{args.command}"
        )
    local = True  # until something is sent: an error now is about what was typed or configured
    try:
        if args.command == "emulator":
            from .emulator import serve

            serve(
                port=args.port,
                access_key=args.access_key,
                secret_key=args.secret_key,
                project_id=args.project_id,
                stop_in=args.stop_in,
            )
            return 0
        if args.command == "demo":
            from .demo import run_demo

            return run_demo(port=args.port, open_browser=not args.no_browser, backend=args.backend)
        if args.command == "doctor":
            from .doctor import run_cli

            return run_cli(flags, args.json)
        from .cli_instances import inside_server, list_command, state_file, use_command, with_choice
        from .connection import connect
        from .kernel_access import URL_ENV
        from .server.prompts import PromptStore

        if flags and inside_server():
            print(
                f"note: the {FLAG_PREFIX}* flags are not used: this process reaches the instance through "
                f"its Jupyter server; unset {URL_ENV} to connect directly.",
                file=sys.stderr,
            )
        if args.command == "list":
            return list_command(lambda: load_settings(flags), args.json)
        if args.command == "use":
            return use_command(lambda: load_settings(flags), args.instance)
        body = _update_body(args) if args.command == "update" else None
        seconds = extend_duration(args.duration) if args.command == "extend" else 0
        conn = connect(settings=with_choice(load_settings(flags)), prompts=PromptStore(state_file()))
        local = False
        try:
            if args.command == "status":
                state = conn.get()
            elif args.command == "update":
                state = conn.update(body)
            elif args.command == "extend":
                state = conn.extend(seconds, allow_earlier=args.allow_earlier)
            else:
                state = conn.disable()
        finally:
            conn.close()
        print(json.dumps(state, indent=2, sort_keys=True) if as_json else summary(state))
        if not as_json and not state["auto_stop"].get("enable") and args.command in ("update", "disable"):
            print(f"Auto-stop is {OFF_WORDS}.")
        return 0
    except DevEnvError as error:
        report(error, local, as_json)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
