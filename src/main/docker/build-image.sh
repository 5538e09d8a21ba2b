#!/usr/bin/env bash
# The JVM image without a container engine, as Dockerfile.jvm lays it out: Debian bookworm laid out
# by debootstrap from Debian's packages (minbase + openjdk-17-jre-headless), pgforce in /pgforce,
# user 185, committed by buildah (from scratch, vfs storage) as an OCI archive:
#   target/pgforce-VERSION-image.tar, image name pgforce:VERSION (without -SNAPSHOT)
# Run by `./mvnw -B package -Pimage` (as root: debootstrap and buildah need it; apt-get install
# debootstrap buildah). DEBIAN_MIRROR picks another Debian mirror.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target=${1:?usage: build-image.sh TARGET_DIR VERSION}
version=${2:?usage: build-image.sh TARGET_DIR VERSION}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
archive="$target/pgforce-$version-image.tar"
name="pgforce:${version%-SNAPSHOT}"
work="$target/image"
rootfs="$work/rootfs"

for tool in debootstrap buildah; do
  command -v "$tool" >/dev/null || { echo "build-image.sh: $tool is missing (apt-get install debootstrap buildah)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "build-image.sh: run as root (debootstrap and buildah's vfs storage need it)" >&2; exit 1; }
[ -f "$target/quarkus-app/quarkus-run.jar" ] || { echo "build-image.sh: $target/quarkus-app is missing (./mvnw package)" >&2; exit 1; }

rm -rf "$work" "$archive"
mkdir -p "$work"
start=$(date +%s)
if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -20 "$work/debootstrap.log" >&2
  echo "build-image.sh: debootstrap failed (all of it: $work/debootstrap.log)" >&2
  exit 1
fi
# What a container does not need: the downloaded packages, the package lists, documentation, translations.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*

# The same files, places and owners as Dockerfile.jvm's COPY lines.
echo 'pgforce:x:185:185:pgforce:/pgforce:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
echo 'pgforce:x:185:' >>"$rootfs/etc/group"
app="$rootfs/pgforce"
mkdir -p "$app/bin" "$app/config" "$app/.pgforce"
cp -a "$target/quarkus-app" "$app/quarkus-app"
cp src/main/dist/bin/pgforce "$app/bin/pgforce"
cp -a routes mappings "$app/"
cp application.properties "$app/config/application.properties"
chown -R 0:0 "$app"
chown 185:185 "$app/.pgforce" # the embedded PostgreSQL's data, when no pgforce.db.url is set

storage=(--storage-driver vfs)
ctr=$(buildah "${storage[@]}" from scratch)
trap 'buildah "${storage[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$(buildah "${storage[@]}" mount "$ctr")
tar -C "$rootfs" -cf - . | tar -C "$mnt" -xpf - --numeric-owner
buildah "${storage[@]}" umount "$ctr" >/dev/null
buildah "${storage[@]}" config --user 185 --workingdir /pgforce --port 8080/tcp \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 --env JAVA_OPTS= \
  --entrypoint '["/pgforce/bin/pgforce"]' --cmd run \
  --label org.opencontainers.image.title=pgforce --label org.opencontainers.image.version="$version" "$ctr"
buildah "${storage[@]}" commit --quiet --disable-compression=false "$ctr" "oci-archive:$archive:$name" >/dev/null
rm -rf "$rootfs"
echo "build-image.sh: $archive ($name, $(du -m "$archive" | cut -f1) MiB) in $(($(date +%s) - start)) s"
