#!/bin/bash
# Seed corpus of the fuzz targets (docs/fuzzing.md, "Seed corpus"), made with the real tools: partclone 0.3.23
# (Debian) and 0.3.47 (/opt/partclone-0.3.47, or PARTCLONE047=DIR), ntfsclone, partimage, ewfacquire, gzip,
# zstd, xz, lz4, bzip2, split, sfdisk and parted. Small on purpose: afl-fuzz is fastest on inputs of a few KiB,
# and the whole corpus stays well under a few MiB. partimage needs a block device, so this runs as root; every
# loop device is detached on exit, also on failure.
#
#   tests/ForensicPipe.Fuzz/corpus/make-corpus.sh [OUTDIR]     (default: beside this script)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
OUT=$(realpath -m "${1:-$here}")
P047=${PARTCLONE047:-/opt/partclone-0.3.47/sbin}
work=$(mktemp -d /tmp/fpipe-corpus.XXXXXX)
LOOPS=()
cleanup() { for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
export LC_ALL=C TZ=UTC E2FSPROGS_FAKE_TIME=1600000000 MTOOLS_SKIP_CHECK=1
q() { "$@" >/dev/null 2>&1; }
cd "$work"
targets=(partclone partimage ntfsclone e01 gzip zstd xz lz4 bzip2 split sfdisk clonezilla detect)
for t in "${targets[@]}"; do rm -rf "${OUT:?}/$t"; mkdir -p "$OUT/$t"; done

# Small file systems with a little content: FAT12 (128 KiB), ext2 (512 KiB, 1 KiB blocks), NTFS (2 MiB, 512-byte clusters).
printf 'fpipe fuzz seed %s\n' $(seq 1 400) > words.txt
head -c 6000 < <(yes 'block content for the fuzz corpus') > blocks.txt
q mkfs.vfat --invariant -i 1234ABCD -n FUZZFAT -C fat.raw 128
q mcopy -i fat.raw words.txt blocks.txt ::/
mkdir -p root; cp words.txt blocks.txt root/
q mke2fs -F -t ext2 -b 1024 -N 16 -U 2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f -L fuzzext2 -d root ext2.raw 512K
truncate -s 2M ntfs.raw
q mkntfs -F -f -Q -c 512 -s 512 -L fuzzntfs ntfs.raw

# partclone 0.3.23: CRC32 (default), none (-a0), one checksum per block (-k1).
pc() { local tool=$1; shift; q "$tool" -q -L /dev/null -c "$@"; }
pc partclone.fat  -s fat.raw  -O pc023-fat.img
pc partclone.fat  -a0 -s fat.raw -O pc023-fat-a0.img
pc partclone.extfs -k1 -s ext2.raw -O pc023-ext2-k1.img
pc partclone.extfs -s ext2.raw -O pc023-ext2.img
# partclone 0.3.47: XXH64 (-a2), XXH3-128 (-a3), 7 blocks per checksum without reseed, CRC32 (-a1) every 3 blocks.
pc "$P047/partclone.fat"   -a2 -s fat.raw  -O pc047-fat-a2.img
pc "$P047/partclone.fat"   -a3 -k7 -K -s fat.raw -O pc047-fat-a3k7K.img
pc "$P047/partclone.extfs" -a3 -s ext2.raw -O pc047-ext2-a3.img
pc "$P047/partclone.fat"   -a1 -k3 -s fat.raw -O pc047-fat-a1k3.img
cp pc0*.img "$OUT/partclone/"

# ntfsclone: full and metadata-only special images.
q ntfsclone -f --save-image -o ntfs.img ntfs.raw
q ntfsclone -f --save-image --metadata -o ntfs-meta.img ntfs.raw
cp ntfs.img ntfs-meta.img "$OUT/ntfsclone/"
# and a 10.1 image of 48 clusters of 512 bytes, some saved, written from docs/formats/ntfsclone.md ("Header", "Record
# stream"): the real images are 470 and 710 KB, and afl-fuzz runs a few-KiB input several times faster.
python3 - "$OUT/ntfsclone/small-synthetic.img" <<'PY'
import struct, sys
cluster, clusters = 512, 48
saved = [lcn for lcn in range(clusters) if lcn % 5 in (0, 1) or lcn in (20, 21, 22)]
out = bytearray(b"\0ntfsclone-image" + bytes([10, 1]))
out += struct.pack("<IQqQI", cluster, (clusters + 1) * cluster, clusters, len(saved), 56)
out += bytes(56 - len(out))
gap = 0
for lcn in range(clusters + 1):
    if lcn < clusters and lcn not in saved:
        gap += 1
        continue
    if gap:
        out += b"\0" + struct.pack("<q", gap)
        gap = 0
    body = (b"cluster %d of the fuzz seed " % lcn) * 40
    out += b"\1" + body[:cluster]
open(sys.argv[1], "wb").write(out)
PY

# partimage (a block device): uncompressed and gzip volumes of the ext2 file system.
L=$(losetup -f --show -r ext2.raw); LOOPS+=("$L")
q partimage -b -o -d -z0 save "$L" "$work/pi-z0"
q partimage -b -o -d -z1 save "$L" "$work/pi-z1"
losetup -d "$L"; LOOPS=()
cp pi-z0.000 "$OUT/partimage/ext2-z0.000"
cp pi-z1.000 "$OUT/partimage/ext2-z1.000"

# E01: deflate fast and best, and no compression, 64-sector chunks, with case data.
for c in none:none fast:deflate:fast best:deflate:best; do
  name=${c%%:*} method=${c#*:}
  q ewfacquire -u -t "ewf-$name" -c "$method" -b 64 -C case1 -E ev1 -e fuzz -D "fuzz seed" -N notes -f encase6 -S 1G fat.raw
  cp "ewf-$name.E01" "$OUT/e01/fat-$name.E01"
done

# The compressors over a small partclone image and over text, as the input layer meets them (one frame and two).
seed=pc023-fat-a0.img
gzip -9 -n -c "$seed" > "$OUT/gzip/pc.img.gz"; { gzip -n -c words.txt; gzip -n -c blocks.txt; } > "$OUT/gzip/two-members.gz"
zstd -q -19 -c "$seed" > "$OUT/zstd/pc.img.zst"; { zstd -q -c words.txt; zstd -q -c blocks.txt; } > "$OUT/zstd/two-frames.zst"
xz -9 -c "$seed" > "$OUT/xz/pc.img.xz"; xz -0 --check=crc32 -c words.txt > "$OUT/xz/words-crc32.xz"
lz4 -q -9 -c "$seed" > "$OUT/lz4/pc.img.lz4"; lz4 -q -B4 -BD --content-size -c words.txt > "$OUT/lz4/words-b4-linked.lz4"
bzip2 -9 -c "$seed" > "$OUT/bzip2/pc.img.bz2"; { bzip2 -1 -c words.txt; bzip2 -1 -c blocks.txt; } > "$OUT/bzip2/two-streams.bz2"

# Split sets: byte 0 picks the piece size ((b*16)+1), byte 1 the damage (0: none), then the bytes split cuts.
{ printf '\x3f\x00'; cat "$seed"; } > "$OUT/split/pc-4k-pieces"
{ printf '\x0f\x00'; gzip -n -c "$seed"; } > "$OUT/split/pc-gz-1k-pieces"
{ printf '\x01\x04'; head -c 3000 words.txt; } > "$OUT/split/text-widening"

# sfdisk dumps: GPT and MBR with an extended partition, as sfdisk --dump writes them.
truncate -s 8M gpt.disk mbr.disk
q sfdisk gpt.disk <<'PT'
label: gpt
label-id: 6A1E4C8E-3F0B-4E5B-9C7D-2B9F0D1E2A3B
start=2048, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=1B2C3D4E-0001-4000-8000-000000000001, name="EFI System"
start=6144, size=4096, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=1B2C3D4E-0002-4000-8000-000000000002, name="root"
start=10240, size=2048, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, uuid=1B2C3D4E-0003-4000-8000-000000000003, name="swap"
start=12288, size=2048, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, uuid=1B2C3D4E-0004-4000-8000-000000000004, name="data"
PT
q sfdisk mbr.disk <<'PT'
label: dos
label-id: 0x5eed1e55
start=2048, size=4096, type=83, bootable
start=6144, size=2048, type=82
start=8192, size=8192, type=5
start=10240, size=2048, type=6
PT
sfdisk -d gpt.disk | sed "s|$work/gpt.disk|/dev/sda|" > gpt.sf
sfdisk -d mbr.disk | sed "s|$work/mbr.disk|/dev/sda|" > mbr.sf
cp gpt.sf "$OUT/sfdisk/gpt.sf"; cp mbr.sf "$OUT/sfdisk/mbr.sf"

# Clonezilla folders: the metadata files in ClonezillaFolderTarget's order (disk, parts, sda-pt.sf, sda-pt.parted,
# sda-mbr, sda-hidden-data-after-mbr, sda-gpt-1st, sda-gpt-2nd, sda4-ebr, swappt-sda3.info, MD5SUMS, SHA1SUMS,
# B2SUMS), separated by "\n@@\n" lines; an empty section is a file left out.
sep() { printf '\n@@\n'; }
parted_of() { parted -s "$1" unit s print | sed "s|$work/$1|/dev/sda|"; }
empty_md5=$(md5sum < /dev/null | cut -d' ' -f1)
empty_sha1=$(sha1sum < /dev/null | cut -d' ' -f1)
{
  printf 'sda'; sep; printf 'sda1 sda2 sda4'; sep; cat gpt.sf; sep; parted_of gpt.disk; sep
  sep; sep; dd if=gpt.disk bs=512 count=34 status=none; sep; dd if=gpt.disk bs=512 skip=$((16384 - 32)) status=none; sep
  sep; printf 'UUID="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"\nLABEL="swappy"\n'; sep
  printf '%s  sda1.vfat-ptcl-img.gz.aa\n%s  sda2.ext4-ptcl-img.zst\n' "$empty_md5" "$empty_md5"; sep
  printf '%s  sda4.ntfs-img\n' "$empty_sha1"
} > "$OUT/clonezilla/gpt"
{
  printf 'sda'; sep; printf 'sda1 sda5'; sep; cat mbr.sf; sep; parted_of mbr.disk; sep
  dd if=mbr.disk bs=512 count=1 status=none; sep; head -c $((99 * 512)) < <(yes 'hidden data after the MBR'); sep
  sep; sep; dd if=mbr.disk bs=512 skip=8192 count=1 status=none; sep; sep
  printf '%s  sda5.dd-img.aa\n' "$empty_md5"
} > "$OUT/clonezilla/mbr"

# Detection: one image of each format, compressed ones, and bytes of no format (read raw).
cp pc023-fat.img "$OUT/detect/partclone.img"
cp pi-z0.000 "$OUT/detect/partimage.000"
cp "$OUT/e01/fat-none.E01" "$OUT/detect/e01.E01"
zstd -q -c ntfs-meta.img > "$OUT/detect/ntfsclone.img.zst"
gzip -n -c pc047-fat-a1k3.img > "$OUT/detect/partclone-a1k3.img.gz"
head -c 5000 fat.raw > "$OUT/detect/raw-fat-start"

du -sh "$OUT"
