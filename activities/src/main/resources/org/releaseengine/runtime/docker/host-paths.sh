#!/bin/sh
# Looks on the host at each host-path volume before it is mounted. Admission checked its text
# against the host's volumePrefix, but docker follows symbolic links when it mounts, and a container
# that had <prefix>/x could have left a link to / at <prefix>/x/root for a later mount. So no
# component of the path may be a link (not even one that stays inside the prefix): a path without
# one is where its text says. A component the deploy user cannot look into is refused too, since a
# link behind it would go unseen; the walk ends at the first component that does not exist (docker
# creates it and the rest below a directory just looked at). A refusal exits 4 with one line.
# $@ for each volume: its host path, each of its components from the top down, then "--"
volume=
parent=/
walked=
for p do
  if [ -z "$volume" ]; then
    volume=$p parent=/ walked=
  elif [ "$p" = -- ]; then
    volume=
  elif [ -z "$walked" ]; then
    if [ -L "$p" ]; then
      echo "host path $volume: $p is a symbolic link, which could lead out of the volumePrefix; refusing to mount it" >&2
      exit 4
    fi
    if [ ! -e "$p" ]; then
      if [ -d "$parent" ] && [ -x "$parent" ]; then
        walked=1
        continue
      fi
      echo "host path $volume: $parent is not a directory the deploy user can look into, and a symbolic link there would go unseen; refusing to mount it" >&2
      exit 4
    fi
    parent=$p
  fi
done
