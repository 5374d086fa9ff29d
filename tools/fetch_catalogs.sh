#!/usr/bin/env bash
# Download and unpack the packages tools/extract_catalogs.py reads, into DIR (default: a temp dir).
# Debian (apt-get download), npm (npm pack) and PyPI (pip download --no-deps) only; nothing is
# installed system-wide and nothing here is committed. Versions are pinned so the catalog is
# reproducible; run `apt-get update` once first.
set -euo pipefail
DIR="${1:-$(mktemp -d)}"
mkdir -p "$DIR/dl"
cd "$DIR/dl"
apt-get download wordpress-l10n=6.1.9+dfsg1-0+deb12u1 mediawiki=1:1.39.17-1+deb12u2 \
    dokuwiki=0.0.20220731.a-2
for pkg in wordpress-l10n mediawiki dokuwiki; do
    mkdir -p "$DIR/$pkg" && dpkg-deb -x "$pkg"_*.deb "$DIR/$pkg"
done
for spec in tarteaucitronjs@1.34.0 klaro@0.7.22 shariff@3.3.0 @waline/client@3.13.0; do
    npm pack --silent "$spec" >/dev/null
done
for pair in tarteaucitronjs-1.34.0:tarteaucitronjs klaro-0.7.22:klaro shariff-3.3.0:shariff \
    waline-client-3.13.0:waline; do
    mkdir -p "$DIR/${pair#*:}" && tar xzf "${pair%%:*}.tgz" -C "$DIR/${pair#*:}" --strip-components=1
done
PIP="${PIP:-pip}"
$PIP download --quiet --no-deps -d . django-contrib-comments==2.2.0 django-comments-xtd==2.10.13 \
    django-blog-zinnia==0.20 Mezzanine==6.1.1 django-newsletter==1.2.1 django-star-ratings==0.9.2 \
    mkdocs-material==9.8.1 isso==0.14.0
for pair in django_contrib_comments django_comments_xtd django_blog_zinnia mezzanine \
    django_newsletter django_star_ratings mkdocs_material:mkdocs-material; do
    name="${pair%%:*}"; target="${pair#*:}"
    mkdir -p "$DIR/$target" && unzip -q -o "$name"-*.whl -d "$DIR/$target"
done
mkdir -p "$DIR/isso" && tar xzf isso-0.14.0.tar.gz -C "$DIR/isso"
echo "$DIR"
