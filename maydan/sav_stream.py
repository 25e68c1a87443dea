"""An SPSS .sav file written as it goes: pyreadstat writes the dictionary, the cases follow in chunks.

pyreadstat (ReadStat) writes a whole data frame at once, and a frame of a program's log entries does not
fit the memory an export may take. So pyreadstat writes the file's header and dictionary (every variable,
label, value label and measure, exactly as for a whole file) from one template case, and the cases are
appended here in SPSS's own bytecode compression, a chunk at a time. The header gives the number of cases
as -1, which the format defines as "not known yet" (SPSS, PSPP and ReadStat read on to the end): the first
bytes leave before the last case is read from the database.

Text variables have a fixed width in bytes (SPSS stores them padded with spaces, which the compression
stores in one byte per eight); a longer value is cut at a character boundary, as labels are.
"""
import os
import struct
import tempfile

SHORT_STRING_BYTES = 255  # a wider text is stored in segments
# Where the file header record keeps a case's size (in 8-byte units), the compression and the case count.
_CASE_SIZE_AT, _COMPRESSION_AT, _CASES_AT = 68, 72, 80
_DICTIONARY_END = struct.pack("<ii", 999, 0)
_BIAS = 100  # ReadStat's (and SPSS's) compression bias: whole numbers -99..151 take one byte
_PAD, _RAW, _SPACES, _MISSING = 0, 253, 254, 255
_UNIT = 8
_SPACES_UNIT = b" " * _UNIT
_SPACES_CODES = bytes([_SPACES])


def header(frame, **labels):
    """The header and dictionary pyreadstat writes for a one-case template `frame` (text columns holding a
    value of their full width), marked as compressed with an unknown number of cases."""
    import pyreadstat

    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(frame, path, **labels)  # uncompressed: the template case is its last bytes
        with open(path, "rb") as written:
            data = bytearray(written.read())
    finally:
        os.unlink(path)
    case_units = struct.unpack_from("<i", data, _CASE_SIZE_AT)[0]
    del data[len(data) - case_units * _UNIT:]
    if not data.endswith(_DICTIONARY_END):
        raise ValueError("pyreadstat wrote a .sav whose dictionary does not end where its one case begins")
    struct.pack_into("<i", data, _COMPRESSION_AT, 1)
    struct.pack_into("<i", data, _CASES_AT, -1)
    return bytes(data)


class Cases:
    """Cases encoded in SPSS bytecode: eight one-byte codes, then the eight-byte units they call for.

    `kinds` says for each variable either None (a number) or its width in bytes (a text)."""

    def __init__(self, kinds):
        self.kinds = kinds
        self.codes, self.units = bytearray(), []

    def add(self, values):
        codes, units = self.codes, self.units
        for kind, value in zip(self.kinds, values):
            if kind is not None:
                self._text(value, kind)
            elif value is None:
                codes.append(_MISSING)
            elif -_BIAS < value <= 251 - _BIAS and float(value).is_integer():
                codes.append(int(value) + _BIAS)
            else:
                codes.append(_RAW)
                units.append(struct.pack("<d", float(value)))

    def _text(self, value, width):
        codes, units = self.codes, self.units
        data = fitted(value, width)
        for part, size in ((data, width),) if width <= SHORT_STRING_BYTES else _segments(data, width):
            used = _round_up(len(part))
            part = part.ljust(used, b" ")
            for start in range(0, used, _UNIT):
                unit = part[start:start + _UNIT]
                if unit == _SPACES_UNIT:
                    codes.append(_SPACES)
                else:
                    codes.append(_RAW)
                    units.append(unit)
            codes.extend(_SPACES_CODES * ((_round_up(size) - used) // _UNIT))  # the padding: all spaces

    def take(self, *, last=False):
        """The bytes encoded so far, whole blocks of eight codes each followed by the units its raw codes
        call for (with `last`, the final codes padded to a whole block)."""
        codes, units = self.codes, self.units
        if last and len(codes) % _UNIT:
            codes.extend(bytes(_UNIT - len(codes) % _UNIT))
        end = len(codes) // _UNIT * _UNIT
        out, taken, start = [], 0, 0
        raw = codes.find(_RAW, 0, end)
        while raw != -1:  # runs of blocks without raw units go out as they are
            block = raw - raw % _UNIT
            count = codes.count(_RAW, block, block + _UNIT)
            out.append(codes[start:block + _UNIT])
            out.extend(units[taken:taken + count])
            taken, start = taken + count, block + _UNIT
            raw = codes.find(_RAW, start, end)
        out.append(codes[start:end])
        self.codes, self.units = codes[end:], units[taken:]
        return b"".join(out)


def fitted(value, width):
    """A text value's UTF-8 bytes, cut at a character boundary so they fit `width`."""
    data = ("" if value is None else str(value)).encode()
    return data if len(data) <= width else data[:width].decode(errors="ignore").encode()


def _segments(data, width):
    """(bytes, width) of each segment SPSS stores a text in: one up to 255 bytes wide; a wider ("very long")
    text in segments of 255 bytes each, the last as wide as the rest of 252 bytes per segment asks."""
    if width <= SHORT_STRING_BYTES:
        return [(data, width)]
    count = -(-width // 252)
    return [(data[SHORT_STRING_BYTES * i:SHORT_STRING_BYTES * (i + 1)], SHORT_STRING_BYTES) for i in range(count - 1)] + [
        (data[SHORT_STRING_BYTES * (count - 1):], width - 252 * (count - 1))]


def _round_up(size):
    return -(-size // _UNIT) * _UNIT
