"""ecogov hj212 serve|simulate — the HJ 212 ingestion server and a data-logger simulator."""

import asyncio
import datetime
import json
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ecogov.monitoring import simulator
from ecogov.monitoring.models import Point
from ecogov.monitoring.server import raise_open_files_limit, serve_until_stopped


class Command(BaseCommand):
    help = "Run the HJ 212-2017 ingestion server, or simulate data loggers against one."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        srv = actions.add_parser("serve", help="receive HJ 212 uploads on TCP")
        srv.add_argument("--host", default=settings.ECOGOV_HJ212_HOST)
        srv.add_argument("--port", type=int, default=settings.ECOGOV_HJ212_PORT)
        srv.add_argument("--batch", type=int, default=1000, help="uploads per transaction, at most")
        srv.add_argument(
            "--writer", choices=("process", "thread"), default="process",
            help="store in a process of its own (default: the event loop keeps its core) "
            "or in a thread of the server's process",
        )  # fmt: skip
        sim = actions.add_parser("simulate", help="play data loggers of registered points")
        sim.add_argument("--host", default="127.0.0.1")
        sim.add_argument("--port", type=int, default=settings.ECOGOV_HJ212_PORT)
        sim.add_argument("--points", type=int, default=10, help="how many registered points")
        sim.add_argument(
            "--rate", type=float, default=0.0,
            help="frames per second per logger (open loop); 0: closed loop, as fast as answered",
        )  # fmt: skip
        sim.add_argument("--frames", type=int, default=24, help="hourly uploads per logger")
        sim.add_argument(
            "--start", help="data time of the first upload (ISO); default: --frames hours ago"
        )
        sim.add_argument(
            "--duration",
            type=float,
            help="seconds, at most (default: an hour; live: until stopped)",
        )
        sim.add_argument("--live", action="store_true", help="on the wall clock, until stopped")
        sim.add_argument(
            "--interval", type=float, default=30.0, help="live: seconds between real-time uploads"
        )
        sim.add_argument(
            "--exceed", type=float, default=0.02, help="chance per hour of an exceedance"
        )
        sim.add_argument(
            "--missing", type=float, default=0.01, help="chance per hour of a lost hour"
        )
        sim.add_argument(
            "--garbage", type=float, default=0.01, help="chance per frame of a bad frame"
        )
        sim.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "serve":
            self._serve(options)
        else:
            self._simulate(options)

    def _serve(self, options) -> None:
        logging.getLogger("ecogov.hj212").setLevel(logging.INFO)

        def ready(server):
            self.stdout.write(f"HJ 212 server listening on {options['host']}:{server.port}")
            self.stdout.flush()

        asyncio.run(
            serve_until_stopped(
                options["host"],
                options["port"],
                batch_max=options["batch"],
                ready=ready,
                writer_process=options["writer"] == "process",
            )  # fmt: skip
        )

    def _simulate(self, options) -> None:
        raise_open_files_limit()
        points = list(
            Point.objects.filter(active=True)
            .prefetch_related("factors")
            .order_by("pk")[: options["points"]]
        )
        if not points:
            raise CommandError(
                "no active monitoring points: register some with `ecogov monitoring points import`"
            )
        loggers = [simulator.logger_for(point) for point in points]
        faults = simulator.Faults(options["exceed"], options["missing"], options["garbage"])
        host, port = options["host"], options["port"]
        if options["live"]:
            coroutine = simulator.live(host, port, loggers, interval=options["interval"],
                                       duration=options["duration"],
                                       faults=faults)  # fmt: skip
        else:
            start = datetime.datetime.fromisoformat(options["start"]) if options["start"] else None
            coroutine = simulator.run(
                host, port, loggers, frames=options["frames"], start=start, rate=options["rate"],
                duration=options["duration"] or 3600.0, faults=faults,
            )  # fmt: skip
        try:
            report = asyncio.run(coroutine)
        except OSError as error:
            raise CommandError(f"cannot reach {host}:{port}: {error}") from None
        result = {
            "loggers": len(loggers), "sent": report.sent, "answered": report.answered,
            "bad_frames": report.garbage, "hours_skipped": report.skipped, "errors": report.errors,
            "seconds": round(report.seconds, 2), "rate": round(report.rate, 1),
            "p50_ms": _ms(report.percentile(50)), "p99_ms": _ms(report.percentile(99)),
        }  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))


def _ms(seconds: float | None):
    return None if seconds is None else round(seconds * 1000, 1)
