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
  dicom_reference.py radiograph OUT.dcm [BITS]          -> synthetic 2048x2500 DX radiograph (12-bit default), explicit VR LE
  dicom_reference.py transcode SRC DST SYNTAX           -> re-encode with GDCM (compressed) or pydicom (native);
                                                           SYNTAX: implicit explicit bigendian deflated rle jpeg-baseline
                                                           jpeg-extended jpeg-lossless-14 jpeg-lossless-sv1 jpeg-ls
                                                           jpeg-ls-near j2k-lossless j2k

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


def radiograph(out, bits=12):
    """A deterministic knee-film-like test image: soft tissue, two bones with cortex, a joint gap, noise."""
    import numpy as np
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    rows, cols = 2500, 2048
    rng = np.random.default_rng(42)
    y, x = np.mgrid[0:rows, 0:cols].astype(np.float32)
    cx = cols / 2
    tissue = np.clip(1 - ((x - cx) / 700) ** 2, 0, None) ** 0.5
    femur = (np.abs(x - cx) < 260 + 60 * np.exp(-((y - 1150) / 120) ** 2)) & (y < 1200)
    tibia = (np.abs(x - cx) < 250 + 70 * np.exp(-((y - 1300) / 120) ** 2)) & (y > 1280)
    bone = (femur | tibia).astype(np.float32)
    cortex = bone * (np.abs(np.abs(x - cx) - 240) < 25)
    img = 0.15 + 0.35 * tissue + 0.3 * bone + 0.15 * cortex
    img += 0.02 * np.sin(x / 37) * np.cos(y / 53)
    img += rng.normal(0, 0.01, img.shape)
    maxv = 2**bits - 1
    arr = np.clip(img * maxv, 0, maxv).astype(np.uint16)

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"  # Digital X-Ray Image Storage - For Presentation
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(out, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientID, ds.PatientName = "DX", "BENCH", "Bench^Knee"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.BodyPartExamined, ds.ImageLaterality, ds.ViewPosition = "KNEE", "R", "PA"
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated = 16 if bits > 8 else 8
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits - 1, 0
    ds.WindowCenter, ds.WindowWidth = int(maxv * 0.5), int(maxv * 0.8)
    ds.ImagerPixelSpacing = [0.139, 0.139]
    if bits <= 8:
        arr = arr.astype(np.uint8)
    ds.PixelData = arr.tobytes()
    ds.save_as(out, write_like_original=False)


def transcode(src, dst, syntax):
    import pydicom
    from pydicom import uid

    native = {
        "implicit": (uid.ImplicitVRLittleEndian, True, True),
        "explicit": (uid.ExplicitVRLittleEndian, False, True),
        "bigendian": (uid.ExplicitVRBigEndian, False, False),
        "deflated": (uid.DeflatedExplicitVRLittleEndian, False, True),
    }
    if syntax in native:
        ts, implicit, little = native[syntax]
        ds = pydicom.dcmread(src)
        ds.file_meta.TransferSyntaxUID = ts
        if not little:
            # pydicom writes PixelData bytes as they are: swap 16-bit words for big endian.
            ds.PixelData = ds.pixel_array.byteswap().tobytes()
        ds.is_implicit_VR, ds.is_little_endian = implicit, little
        ds.save_as(dst, write_like_original=False)
        return
    import gdcm

    T = gdcm.TransferSyntax
    target = {
        "rle": T.RLELossless,
        "jpeg-baseline": T.JPEGBaselineProcess1,
        "jpeg-extended": T.JPEGExtendedProcess2_4,
        "jpeg-lossless-14": T.JPEGLosslessProcess14,
        "jpeg-lossless-sv1": T.JPEGLosslessProcess14_1,
        "jpeg-ls": T.JPEGLSLossless,
        "jpeg-ls-near": T.JPEGLSNearLossless,
        "j2k-lossless": T.JPEG2000Lossless,
        "j2k": T.JPEG2000,
    }[syntax]
    reader = gdcm.ImageReader()
    reader.SetFileName(src)
    if not reader.Read():
        raise RuntimeError(f"GDCM cannot read {src}")
    change = gdcm.ImageChangeTransferSyntax()
    change.SetTransferSyntax(gdcm.TransferSyntax(target))
    change.SetInput(reader.GetImage())
    if syntax in ("jpeg-baseline", "jpeg-extended"):
        codec = gdcm.JPEGCodec()
        codec.SetLossless(False)
        codec.SetQuality(90)
        change.SetUserCodec(codec)
    elif syntax == "jpeg-ls-near":
        codec = gdcm.JPEGLSCodec()
        codec.SetLossless(False)
        codec.SetLossyError(2)
        change.SetUserCodec(codec)
    elif syntax == "j2k":
        codec = gdcm.JPEG2000Codec()
        codec.SetRate(0, 10)
        codec.SetReversible(False)
        change.SetUserCodec(codec)
    if not change.Change():
        raise RuntimeError(f"GDCM cannot transcode {src} to {syntax}")
    writer = gdcm.ImageWriter()
    writer.SetFileName(dst)
    writer.SetFile(reader.GetFile())
    writer.SetImage(change.GetOutput())
    if not writer.Write():
        raise RuntimeError(f"GDCM cannot write {dst}")


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
    elif cmd == "radiograph":
        radiograph(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 12)
    elif cmd == "transcode":
        transcode(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "check":
        check()
    else:
        print(__doc__)
        sys.exit(2)
