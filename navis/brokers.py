from pathlib import Path


def filesystem_transport_options(var_dir: Path) -> dict[str, str | bool]:
    """Options for kombu's filesystem transport, with every process sharing folders under var_dir."""
    broker_dir = var_dir / "broker"
    folders = {name: broker_dir / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        # Exchange bindings live here, so a message sent by the web process reaches the worker.
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
