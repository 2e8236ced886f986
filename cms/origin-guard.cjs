// Loaded into decap-server (`node --require`) by `frontline cms`. decap-server has no login and answers every
// origin (its CORS policy is `*`), so any web page open in the reporter's browser could write into the project
// through it. Only the editor's own page may: a request naming another origin, or another host, is refused.
"use strict";
const http = require("http");

const words = (name) => new Set((process.env[name] || "").split(" ").filter(Boolean));
const origins = words("FRONTLINE_CMS_ORIGINS");
const hosts = words("FRONTLINE_CMS_HOSTS");
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function (event, request, response) {
  if (event === "request") {
    const origin = request.headers.origin;
    if (!hosts.has(request.headers.host) || (origin !== undefined && !origins.has(origin))) {
      response.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("Chỉ trang soạn bài của Frontline được dùng máy chủ này.\n");
      return true;
    }
  }
  return emit.apply(this, arguments);
};
