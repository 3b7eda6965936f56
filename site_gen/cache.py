"""The build cache: validated postings by file hash, and output keys of the last build.

Rebuilds reuse what did not change: a posting whose bytes, path and validation settings are
unchanged is not parsed again, and a page whose key (a hash of everything it is made from:
postings shown, templates, settings, code) matches the last build is hard-linked from the
previous output instead of rendered. The folder lives beside the content (`.site-gen-cache/`,
git-ignored) and can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import secrets
import tempfile
from dataclasses import dataclass, field, fields
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .config import SiteConfig

#: Settings that change how a single posting validates (a change re-validates every posting).
_VALIDATION_SETTINGS = ("tag_aliases", "location_aliases", "company_aliases", "max_file_bytes")
#: Settings that never change a page's bytes.
_NOT_IN_PAGES = {"content_dir", "out_dir", "project_dir", "now", "drafts", "cache_dir"}


def digest(*parts: Any) -> str:
    """A short, stable hash of the repr of ``parts``."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's own source: a new version of site_gen invalidates every cache entry."""
    package = Path(__file__).parent
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def validation_key(config: SiteConfig) -> str:
    return digest(code_version(), [getattr(config, name) for name in _VALIDATION_SETTINGS])


def settings_key(config: SiteConfig) -> str:
    """Hash of every setting that can show on a page."""
    return digest(code_version(), [(f.name, getattr(config, f.name)) for f in fields(config)
                                   if f.name not in _NOT_IN_PAGES])


_MAGIC = b"site-gen-cache-1\n"


def user_cache_dir() -> Path:
    """This user's site-gen folder outside any project: ``$XDG_CACHE_HOME/site-gen``, else ``~/.cache/site-gen``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "site-gen"


def _secret() -> bytes:
    """This user's cache-signing key, kept outside the project (created on first use).

    Unpickling runs code, so a pickle is loaded only if it was signed with this key: a cache
    folder committed to the repository by someone else (and run by a CI build) is ignored.
    """
    home = user_cache_dir()
    path = home / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except OSError:
        pass  # an unwritable home: the cache simply never validates, builds stay correct
    return key


class _SigningWriter:
    """A file wrapper that signs what passes through it, so a big pickle is never held in memory whole."""

    def __init__(self, fh: Any):
        self.fh = fh
        self.mac = hmac.new(_secret(), digestmod=hashlib.sha256)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.fh.write(data)


def dump_signed(path: Path, value: Any) -> None:
    """Pickle ``value`` into ``path`` atomically, streamed: magic, HMAC of the pickle, the pickle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + bytes(32))
            writer = _SigningWriter(fh)
            pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
            fh.seek(len(_MAGIC))
            fh.write(writer.mac.digest())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def load_signed(path: Path) -> Any:
    """Load a pickle this user's builds wrote; anything else (unsigned, tampered, old) is ignored."""
    try:
        blob = memoryview(path.read_bytes())  # slices of a memoryview are not copies
    except OSError:
        return None
    head, mac, data = blob[:len(_MAGIC)], blob[len(_MAGIC):len(_MAGIC) + 32], blob[len(_MAGIC) + 32:]
    if head != _MAGIC or not hmac.compare_digest(mac, hmac.new(_secret(), data, hashlib.sha256).digest()):
        return None
    try:
        return pickle.loads(data)
    except (pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
        return None


def _save_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@dataclass
class BuildCache:
    """Cached postings and the previous build's output keys, loaded from and saved to ``folder``."""

    folder: Path | None  #: None: an in-memory cache (the preview server keeps it between builds)
    loaded: dict[str, Any] | None = None  #: posting key -> Posting (read on first use: see ``postings``)
    file_stats: dict[str, list] = field(default_factory=dict)  #: posting path -> [mtime_ns, size, content hash]
    outputs: dict[str, str] = field(default_factory=dict)  #: output path -> key, for ``previous``
    previous: Path | None = None  #: the folder holding the outputs listed in ``outputs``
    site_key: str = ""  #: hash of every input of the last build
    contents: dict[str, str] = field(default_factory=dict)  #: path -> content hash of outputs without a key
    search_memo: dict = field(default_factory=dict)  #: words of each posting for the search index (memory only)
    _validation: tuple | None = field(default=None, repr=False, compare=False)  #: (config, its validation_key)

    @classmethod
    def open(cls, folder: Path | None, out_dir: Path) -> "BuildCache":
        """Load the cache for builds into ``out_dir`` (empty when missing, stale or unreadable)."""
        cache = cls(folder)
        if folder is None:
            return cache
        try:
            cache.file_stats = json.loads((folder / "files.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cache.file_stats = {}
        try:
            manifest = json.loads((folder / "outputs.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        if manifest.get("out_dir") == digest(str(out_dir.resolve())) and out_dir.is_dir():
            cache.outputs = manifest.get("outputs", {})
            cache.site_key = manifest.get("site_key", "")
            cache.previous = out_dir
        return cache

    @property
    def postings(self) -> dict[str, Any]:
        """Cached postings, unpickled only when a build needs them (not when nothing changed)."""
        if self.loaded is None:
            self.loaded = (load_signed(self.folder / "postings.pickle") if self.folder else None) or {}
        return self.loaded

    def known_hash(self, path: str, mtime_ns: int, size: int) -> str | None:
        """The content hash of a posting file whose modification time and size are unchanged (as git's index does)."""
        record = self.file_stats.get(path)
        return record[2] if record and record[0] == mtime_ns and record[1] == size else None

    def posting_key(self, file_digest: str, shown: str, config: SiteConfig) -> str:
        known = self._validation  # worked out once per build, not once per posting (~2 us each)
        if known is None or known[0] is not config:
            known = self._validation = (config, validation_key(config))
        return digest(file_digest, shown, known[1])

    def reusable(self, path: str, key: str) -> bool:
        """True when the previous build made ``path`` from the same inputs and the file is still there."""
        return (self.previous is not None and self.outputs.get(path) == key
                and os.path.isfile(os.path.join(self.previous, path)))

    def save_postings(self, postings: dict[str, Any]) -> None:
        """Write the validated postings for the next build (unless the file already holds exactly these)."""
        if self.folder is not None and (postings.keys() != self.postings.keys()
                                        or not (self.folder / "postings.pickle").is_file()):
            dump_signed(self.folder / "postings.pickle", postings)

    def save_postings_aside(self, postings: dict[str, Any]) -> Any:
        """Start ``save_postings`` in a forked process and return it (the build plans pages meanwhile).

        Planning runs on one core; the other is idle until the render processes start. A failure
        exits quietly with code 1 (no traceback on the terminal): the build saves again itself.
        """
        def save() -> None:
            try:
                self.save_postings(postings)
            except BaseException:  # noqa: BLE001 - reported by the second attempt, in the build process
                os._exit(1)

        process = get_context("fork").Process(target=save, daemon=True)
        process.start()
        return process

    def remember(self, postings: dict[str, Any], outputs: dict[str, str], site_key: str, out_dir: Path,
                 file_stats: dict[str, list] | None = None, postings_saved: bool = False) -> None:
        """Keep this build's results for the next build, and save them if the cache has a folder.

        ``postings_saved``: a render process already wrote them (``save_postings``) while pages were made.
        """
        if not postings_saved:
            self.save_postings(postings)
        self.loaded, self.outputs, self.site_key, self.previous = postings, outputs, site_key, out_dir
        if file_stats is not None:
            self.file_stats = file_stats
        if self.folder is None:
            return
        # orjson where it gives json's text (~15 ms less at 10,000 postings); imported here, not before the parse
        from .jsontext import canonical_json_bytes

        _save_atomic(self.folder / "files.json", canonical_json_bytes(self.file_stats))
        manifest = {"out_dir": digest(str(out_dir.resolve())), "site_key": site_key, "outputs": outputs}
        _save_atomic(self.folder / "outputs.json", canonical_json_bytes(manifest))
