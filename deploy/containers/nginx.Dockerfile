# The proxy image: Debian 12's nginx with the brotli filter module, as on a host.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/binapustaka.access.log \
 && ln -sf /dev/stderr /var/log/nginx/binapustaka.error.log
EXPOSE 80 443
CMD ["nginx", "-g", "daemon off;"]
