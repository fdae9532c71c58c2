"""collectstatic's storage: WhiteNoise's (hashed names, gzip and brotli copies), each file compressed once.

Every `make run` and `make serve` runs collectstatic, and WhiteNoise compresses every file again
each time, although a hashed name (`plotly-basic.min.<digest>.js`) changes whenever its bytes do:
brotli at its highest quality took about 3 s of each start on this machine, nearly all of it for
plotly.js. Here a compressed copy already beside a file is kept when it decompresses to exactly the
file's bytes (a copy cut short, or of other bytes, is made again), and only the rest are compressed.
"""

import gzip
import zlib

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedOnceStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return KeptCompressor(**kwargs)


class KeptCompressor(Compressor):
    def compress(self, path):
        """The compressed copies of `path`: those already there when each is of its bytes, else made."""
        kept = self._kept(path)
        return kept if kept is not None else super().compress(path)

    def _kept(self, path):
        with open(path, "rb") as file:
            data = file.read()
        wanted = {
            ".br": brotli.decompress if self.use_brotli else None,
            ".gz": gzip.decompress if self.use_gzip else None,
        }
        names = []
        for suffix, decompress in wanted.items():
            if decompress is None:
                continue
            try:
                with open(path + suffix, "rb") as file:
                    if decompress(file.read()) != data:
                        return None
            except (OSError, EOFError, zlib.error, brotli.error):  # missing, cut short or not of that format
                return None
            names.append(path + suffix)
        return names
