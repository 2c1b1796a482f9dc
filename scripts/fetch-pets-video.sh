#!/usr/bin/env bash
# Fetches the full PETS 2009 S2L1 video (OpenCV's sample vtest.avi: 795 frames, 768x576, 10 fps,
# MPEG-4 part 2 in AVI, ~8 MB) into the cache used by src/video/pets-video.ts (findPetsVideo) and
# the slow test suites:  ${XDG_CACHE_HOME:-~/.cache}/edgetrack/vtest.avi
#
# Source: Debian package opencv-doc (any release that ships examples/data/vtest.avi), downloaded
# with `apt-get download` (no root needed) and unpacked with `dpkg -x`. The video is the PETS 2009
# benchmark data set (University of Reading), free for research use; OpenCV redistributes it as a
# sample. Frame n (0-based) of vtest.avi is MOT frame n+1 of MOTChallenge PETS09-S2L1 gt.txt.
#
# Usage: scripts/fetch-pets-video.sh [dest]   (or set EDGETRACK_PETS_VIDEO to an existing copy)
set -euo pipefail
dest="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/edgetrack/vtest.avi}"
if [[ -s "$dest" ]]; then echo "already present: $dest"; exit 0; fi
if [[ -s /usr/share/doc/opencv-doc/examples/data/vtest.avi ]]; then
  mkdir -p "$(dirname "$dest")"; cp /usr/share/doc/opencv-doc/examples/data/vtest.avi "$dest"; echo "$dest"; exit 0
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download opencv-doc
dpkg -x opencv-doc_*.deb root
data=root/usr/share/doc/opencv-doc/examples/data
mkdir -p "$(dirname "$dest")"
if [[ -s $data/vtest.avi ]]; then cp "$data/vtest.avi" "$dest.part"
elif [[ -s $data/vtest.avi.gz ]]; then gunzip -c "$data/vtest.avi.gz" > "$dest.part"
else echo "vtest.avi not found in opencv-doc" >&2; exit 1; fi
mv "$dest.part" "$dest"
echo "$dest"
# Expected (Debian bookworm opencv-doc 4.6.0+dfsg-12): 8131690 bytes,
# sha256 45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
