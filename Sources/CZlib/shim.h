// zlib (zlib1g-dev, which libpng-dev brings), for gzip-compressing the web app's files once at start-up.
#include <zlib.h>
