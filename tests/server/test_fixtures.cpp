#include "test_fixtures.hpp"

namespace steward::server::testing {

WebApp::WebApp() {
  for (int i = 0; i < 400; ++i) app_js += "console.log('Steward line " + std::to_string(i % 7) + "');\n";
  app_wasm = std::string("\0asm\1\0\0\0", 8);
  for (int i = 0; i < 2000; ++i) app_wasm += char(i % 5);
  png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(300, 'p');

  write_file(web() / "index.html", index_html);
  write_file(web() / "app.js", app_js);
  write_file(web() / "app.wasm", app_wasm);
  write_file(web() / "manifest.webmanifest", manifest);
  write_file(web() / "icon.png", png);
  write_file(web() / "style.css", "body { margin: 0 }\n");
  write_file(web() / "font.otf", std::string(200, 'f'));
  write_file(web() / "empty.txt", "");
  write_file(web() / "sub" / "index.html", "<p>sub</p>\n");
  write_file(dir.path() / "secret.txt", secret);
}

RunningServer::RunningServer(std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"--port", "0", "--data", data_dir().string(), "--web", app.web().string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process = std::make_unique<ServerProcess>(args);
}

httplib::Client RunningServer::client(const std::string& user) const { return make_client(process->port(), user); }

httplib::Client make_client(int port, const std::string& user) {
  httplib::Client client("127.0.0.1", port);
  if (!user.empty()) client.set_basic_auth(user, kDemoPassword);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(10);
  return client;
}

}  // namespace steward::server::testing
