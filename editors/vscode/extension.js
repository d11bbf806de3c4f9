// Starts `skillpress server` for the Markdown files of a workspace; the server itself
// ignores files that are not part of a skill.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("skillpress");
  const model = config.get("model");
  client = new LanguageClient(
    "skillpress",
    "skillpress",
    { command: config.get("path") || "skillpress", args: ["server"] },
    {
      documentSelector: [{ scheme: "file", language: "markdown" }, { scheme: "file", pattern: "**/*.{txt,yaml,yml,json}" }],
      initializationOptions: model ? { model } : {},
    }
  );
  // The code lens has no action of its own; clicking it shows the full table.
  context.subscriptions.push(
    vscode.commands.registerCommand("skillpress.tokens", () =>
      vscode.window.showInformationMessage("Run `skillpress tokens` in a terminal for the full table.")
    )
  );
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
