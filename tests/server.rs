//! The language server as an editor meets it: a client speaking JSON-RPC over stdio to
//! the real binary opens a skill, gets diagnostics, asks for quick fixes, applies one
//! to its in-memory text, and sees the finding go; then hovers and the token code lens.
//! Startup and round-trip times are printed (run with --nocapture), never asserted.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skillpress"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start skillpress server");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let msg: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let msg = self.wait(|m| m["id"] == json!(id));
        assert!(msg.get("error").is_none(), "{method} failed: {msg}");
        msg["result"].clone()
    }

    /// The next message `pick` accepts; others are dropped.
    fn wait(&self, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self
                .incoming
                .recv_timeout(left)
                .expect("the server answered in time");
            if pick(&msg) {
                return msg;
            }
        }
    }

    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        let msg = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

impl Drop for Client {
    // A failed assertion must not leave the server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The server's exit status once it has gone, within the timeout.
fn wait_exit(client: &mut Client) -> std::process::ExitStatus {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = client.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Byte offset of an LSP position (UTF-16 columns).
fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let col = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, new) in edits {
        out.replace_range(s..e, new);
    }
    out
}

const SKILL: &str = "---
name: pdf-forms
description: Fill PDF forms: text fields, checkboxes and signatures in existing PDF files. Use when the user asks to fill in or complete a PDF form.
licence: MIT
---

# PDF forms

Run `python scripts/fill.py FORM.pdf DATA.json` to fill the fields.
";

const SIBLING: &str = "---
name: pdf-filler
description: \"Fill PDF forms: text fields, checkboxes and signatures in existing PDF files. Use when the user asks to fill in or complete a PDF form.\"
---

# PDF filler

Fill each field with `pdftk`.
";

#[test]
fn an_editor_session_over_stdio() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path().canonicalize().unwrap();
    let skill = root.join("skills/pdf-forms");
    let sibling = root.join("skills/pdf-filler");
    std::fs::create_dir_all(skill.join("scripts")).unwrap();
    std::fs::create_dir_all(&sibling).unwrap();
    std::fs::write(skill.join("SKILL.md"), SKILL).unwrap();
    std::fs::write(skill.join("scripts/fill.py"), "print('fill')\n").unwrap();
    std::fs::write(sibling.join("SKILL.md"), SIBLING).unwrap();
    let manifest = skill.join("SKILL.md");
    let doc = uri(&manifest);

    let started = Instant::now();
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {},
               "initializationOptions": {"model": "claude-sonnet-4-6"}}),
    );
    let startup = started.elapsed();
    assert_eq!(init["capabilities"]["codeActionProvider"], json!(true));
    assert_eq!(init["capabilities"]["hoverProvider"], json!(true));
    client.notify("initialized", json!({}));

    // Open: the editor's text is linted, with codes, severities and help.
    let sent = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": SKILL}}),
    );
    let diags = client.diagnostics(&doc);
    let open_round_trip = sent.elapsed();
    let found = codes(&diags);
    assert!(found.contains(&"F003".to_string()), "{diags:?}");
    assert!(found.contains(&"K002".to_string()), "{diags:?}");
    let yaml = diags.iter().find(|d| d["code"] == "F003").unwrap();
    assert_eq!(yaml["severity"], json!(1));
    assert_eq!(yaml["source"], "skillpress");
    assert_eq!(yaml["range"]["start"]["line"], json!(2), "{yaml}");

    // Code actions: the safe YAML fix is the preferred quick fix; the typo's is unsafe.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc}, "range": {"start": {"line": 1, "character": 0},
               "end": {"line": 3, "character": 0}}, "context": {"diagnostics": []}}),
    );
    let actions = actions.as_array().unwrap();
    let safe = actions
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "F003")
        .expect("a fix for F003");
    assert_eq!(safe["kind"], "quickfix");
    assert_eq!(safe["isPreferred"], json!(true));
    let typo = actions
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "K002")
        .expect("a fix for K002");
    assert_eq!(typo["isPreferred"], json!(false));
    assert!(
        typo["title"].as_str().unwrap().starts_with("Unsafe"),
        "{typo}"
    );

    // Apply the safe fix to the unsaved text: F003 goes; the near-duplicate of the
    // sibling skill stays, pointing at the other skill's description.
    let edits = safe["edit"]["changes"][&doc].as_array().unwrap();
    let fixed = apply(SKILL, edits);
    assert!(fixed.contains("description: \"Fill PDF forms:"), "{fixed}");
    let sent = Instant::now();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let diags = client.diagnostics(&doc);
    let change_round_trip = sent.elapsed();
    let found = codes(&diags);
    assert!(!found.contains(&"F003".to_string()), "{diags:?}");
    assert!(found.contains(&"K002".to_string()), "{diags:?}");
    let dup = diags
        .iter()
        .find(|d| d["code"] == "U005")
        .expect("the duplicate description");
    let related = &dup["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], uri(&sibling.join("SKILL.md")));
    assert_eq!(related["range"]["start"]["line"], json!(2));
    // The disk still holds the original: the server linted the editor's text.
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), SKILL);

    // Hover on the description: its tokens, listing cost and trigger clause.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc}, "position": {"line": 2, "character": 3}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("tokens (o200k)"), "{text}");
    assert!(
        text.contains("per 1,000 requests (claude-sonnet-4-6)"),
        "{text}"
    );
    assert!(text.contains("**trigger clause**: yes"), "{text}");
    // Hover on a finding: its rule's document.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc}, "position": {"line": 3, "character": 2}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("key-typo"), "{text}");

    // The code lens on the frontmatter: tokens per tier and the configured model's cost.
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": doc}}),
    );
    let title = lenses[0]["command"]["title"].as_str().unwrap();
    assert!(title.starts_with("listing "), "{title}");
    assert!(title.contains("body "), "{title}");
    assert!(
        title.contains("per 1,000 activations (claude-sonnet-4-6)"),
        "{title}"
    );

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let status = wait_exit(&mut client);
    assert!(status.success(), "server exited with {status}");
    println!(
        "server (debug build): startup to initialize result {:.1} ms; didOpen to diagnostics {:.1} ms; didChange to diagnostics {:.1} ms (includes the {} ms debounce)",
        startup.as_secs_f64() * 1e3,
        open_round_trip.as_secs_f64() * 1e3,
        change_round_trip.as_secs_f64() * 1e3,
        skillpress::server::DEBOUNCE.as_millis()
    );
}

#[test]
fn a_file_outside_any_skill_gets_nothing_and_the_server_keeps_serving() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path().canonicalize().unwrap();
    let loose = root.join("notes.md");
    std::fs::write(&loose, "# notes\n").unwrap();
    let mut client = Client::start();
    client.request("initialize", json!({"processId": null, "capabilities": {}}));
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&loose), "languageId": "markdown", "version": 1, "text": "# notes\n"}}),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&loose)}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "range": {"start": {"line": 0, "character": 0},
               "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, json!([]));
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(wait_exit(&mut client).success());
}
