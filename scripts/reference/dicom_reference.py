#!/usr/bin/python3
"""Reference DICOM decode for KneeGrade's pixel pipeline tests and benchmark.

Decodes with pydicom (Debian python3-pydicom 2.3) and, for compressed transfer syntaxes, GDCM (Debian
python3-gdcm); native (uncompressed) data goes through pydicom's numpy handler. Writes, per requested frame,
the *stored values* (pydicom's pixel_array: bits-stored masked and sign-corrected, before any LUT) as
little-endian int32 plus a JSON description, so the TypeScript test can compare pixel for pixel.

Usage:
  dicom_reference.py decode FILE OUTDIR [FRAME ...]     -> OUTDIR/meta.json, OUTDIR/frame_<n>.i32 (stored values)
                                                           and, for monochrome, frame_<n>.mod.f32 (after Modality LUT)
  dicom_reference.py time FILE REPEATS                  -> prints JSON {"seconds": [...]} for parse+decode+window
  dicom_reference.py check                              -> prints versions, exit 0 when GDCM is usable

Run with /usr/bin/python3 (the Debian interpreter that has python3-pydicom and python3-gdcm), not a venv.
"""
import json
import os
import sys
import time


JPEG_DCT_SYNTAXES = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"}


def setup():
    import pydicom
    from pydicom.pixel_data_handlers import gdcm_handler, numpy_handler, rle_handler

    if not gdcm_handler.is_available():
        raise RuntimeError("GDCM is not available to pydicom (apt-get install python3-gdcm)")
    # GDCM for every compressed syntax, numpy for native data; RLE also via GDCM first.
    pydicom.config.pixel_data_handlers = [numpy_handler, gdcm_handler, rle_handler]
    return pydicom


def frame_array(ds, arr, frame):
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    if frames > 1:
        return arr[frame]
    if frame != 0:
        raise IndexError(f"frame {frame} out of range")
    return arr


def decode(path, outdir, frames):
    import numpy as np

    pydicom = setup()
    os.makedirs(outdir, exist_ok=True)
    meta = {"file": path}
    try:
        ds = pydicom.dcmread(path, force=True)
        if "TransferSyntaxUID" not in getattr(ds, "file_meta", {}):
            # ACR-NEMA style file without file meta: tell pydicom the encoding it detected while reading.
            from pydicom.dataset import FileMetaDataset
            from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

            ds.file_meta = getattr(ds, "file_meta", None) or FileMetaDataset()
            ds.file_meta.TransferSyntaxUID = (
                ImplicitVRLittleEndian if ds.is_implicit_VR else ExplicitVRLittleEndian if ds.is_little_endian else ExplicitVRBigEndian
            )
            meta["fileMetaAdded"] = True
        arr = ds.pixel_array
        if int(ds.PixelRepresentation) == 1 and int(ds.BitsStored) < int(ds.BitsAllocated):
            # pydicom 2.3 does not sign-extend signed values stored in fewer bits than allocated when the
            # unused high bits are zero (pydicom 3 does): do it here, as the standard requires (PS3.5 8.1.1).
            shift = arr.dtype.itemsize * 8 - int(ds.BitsStored)
            arr = (arr.astype(arr.dtype) << shift) >> shift
            meta["signExtended"] = True
        photometric = str(ds.PhotometricInterpretation)
        if photometric.startswith("YBR_FULL") and str(ds.file_meta.TransferSyntaxUID) in JPEG_DCT_SYNTAXES:
            # GDCM hands back the JPEG's YCbCr; libjpeg-style decoders (and KneeGrade) return RGB.
            from pydicom.pixel_data_handlers.util import convert_color_space

            arr = convert_color_space(arr, photometric, "RGB")
            meta["convertedToRgb"] = True
        meta.update(
            ok=True,
            rows=int(ds.Rows),
            columns=int(ds.Columns),
            samplesPerPixel=int(getattr(ds, "SamplesPerPixel", 1)),
            frames=int(getattr(ds, "NumberOfFrames", 1) or 1),
            bitsStored=int(ds.BitsStored),
            pixelRepresentation=int(ds.PixelRepresentation),
            photometric=str(ds.PhotometricInterpretation),
            transferSyntax=str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in getattr(ds, "file_meta", {}) else None,
            dtype=str(arr.dtype),
            written=[],
        )
        for f in frames:
            a = frame_array(ds, arr, f)
            np.ascontiguousarray(a, dtype="<i4").tofile(os.path.join(outdir, f"frame_{f}.i32"))
            if meta["samplesPerPixel"] == 1 and meta["photometric"].startswith("MONOCHROME"):
                # After the Modality LUT (rescale or LUT Sequence), as pydicom applies it.
                from pydicom.pixel_data_handlers.util import apply_modality_lut

                m = apply_modality_lut(a, ds)
                np.ascontiguousarray(m, dtype="<f4").tofile(os.path.join(outdir, f"frame_{f}.mod.f32"))
            meta["written"].append(f)
    except Exception as e:  # the test asserts on ok/error for the negative cases
        meta.update(ok=False, error=f"{type(e).__name__}: {e}")
    with open(os.path.join(outdir, "meta.json"), "w") as fh:
        json.dump(meta, fh)


def window8(ds, arr):
    """Modality LUT + first window (or min/max) to 8 bits, like KneeGrade's toDisplay8, with numpy."""
    import numpy as np
    from pydicom.pixel_data_handlers.util import apply_modality_lut

    v = apply_modality_lut(arr, ds).astype(np.float32)
    wc = ds.get("WindowCenter")
    ww = ds.get("WindowWidth")
    if wc is not None and ww is not None:
        c = float(wc[0] if isinstance(wc, pydicom_multi()) else wc)
        w = float(ww[0] if isinstance(ww, pydicom_multi()) else ww)
        lo, hi = c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2
    else:
        lo, hi = float(v.min()), float(v.max())
    out = np.clip(np.rint((v - lo) * (255.0 / max(hi - lo, 1e-9))), 0, 255).astype(np.uint8)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        out = 255 - out
    return out


def pydicom_multi():
    from pydicom.multival import MultiValue

    return MultiValue


def timing(path, repeats):
    pydicom = setup()
    secs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ds = pydicom.dcmread(path)
        arr = ds.pixel_array
        window8(ds, arr)
        secs.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": secs}))


def check():
    import gdcm
    import pydicom

    setup()
    print(json.dumps({"pydicom": pydicom.__version__, "gdcm": gdcm.Version.GetVersion()}))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "decode":
        decode(sys.argv[2], sys.argv[3], [int(x) for x in sys.argv[4:]] or [0])
    elif cmd == "time":
        timing(sys.argv[2], int(sys.argv[3]))
    elif cmd == "check":
        check()
    else:
        print(__doc__)
        sys.exit(2)
