//! `skillpress server`: a language server over stdio (the `lsp-server` crate, as
//! rust-analyzer uses it). It keeps the open documents in memory, lints the skill each
//! one belongs to on open, save and (debounced) change, and answers code actions, hovers
//! and code lenses from the last lint.

pub mod analysis;
pub mod position;

use std::collections::{BTreeSet, HashMap};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, CodeLensRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionOrCommand, CodeActionProviderCapability, Hover, HoverContents,
    HoverProviderCapability, MarkupContent, MarkupKind, MessageType, PublishDiagnosticsParams,
    SaveOptions, ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};

use crate::config::{find_config, Overrides, Settings};
use crate::rules::description_duplicate::Listing;
use analysis::{Analysis, Options};
use position::{path_to_uri, uri_to_path, LineMap};

/// How long typing must pause before a changed document is linted again.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// Serves one client on stdin/stdout until it asks to exit.
pub fn run() -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// The capabilities, then the message loop.
pub fn serve(connection: &Connection) -> Result<()> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_lens_provider: Some(lsp_types::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        ..ServerCapabilities::default()
    };
    let init = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": {"name": "skillpress", "version": env!("CARGO_PKG_VERSION")},
    });
    let (id, params) = connection.initialize_start()?;
    connection.initialize_finish(id, init)?;
    let mut server = Server::new(options(&params));
    server.main_loop(connection)
}

/// `initializationOptions`: `model` (an id from data/prices.toml) prices the code lens;
/// `rulesUrl` is where rule documents are linked (`rulesUrl` + `NAME.md`). Without it,
/// the documents of the source tree the binary was built from are linked when present.
fn options(params: &serde_json::Value) -> Options {
    let init = params.get("initializationOptions");
    let pick = |key: &str| init.and_then(|o| o.get(key)).and_then(|v| v.as_str());
    let model = match pick("model") {
        Some(id) => crate::tokens::prices::select(&[id.to_string()])
            .ok()
            .and_then(|m| m.first().copied()),
        None => crate::tokens::prices::select(&[])
            .ok()
            .and_then(|m| m.first().copied()),
    };
    let rules_base = pick("rulesUrl").map(str::to_string).or_else(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        dir.is_dir()
            .then(|| path_to_uri(&dir))
            .flatten()
            .map(|u| format!("{}/", u.as_str()))
    });
    Options { rules_base, model }
}

struct Doc {
    uri: Uri,
    text: String,
}

struct Server {
    options: Options,
    /// Open documents by path.
    docs: HashMap<PathBuf, Doc>,
    /// The last lint of each skill folder touched.
    analyses: HashMap<PathBuf, Analysis>,
    /// Files given non-empty diagnostics, per skill, so a fixed file is cleared.
    published: HashMap<PathBuf, BTreeSet<PathBuf>>,
    /// Skills with edits not yet linted, and when they may be.
    pending: HashMap<PathBuf, Instant>,
    /// Listings of the skills beside each skill, read on open and save.
    siblings: HashMap<PathBuf, Vec<Listing>>,
}

impl Server {
    fn new(options: Options) -> Server {
        Server {
            options,
            docs: HashMap::new(),
            analyses: HashMap::new(),
            published: HashMap::new(),
            pending: HashMap::new(),
            siblings: HashMap::new(),
        }
    }

    fn main_loop(&mut self, connection: &Connection) -> Result<()> {
        loop {
            let wait = self
                .pending
                .values()
                .min()
                .map(|t| t.saturating_duration_since(Instant::now()))
                .unwrap_or(Duration::from_secs(3600));
            match connection.receiver.recv_timeout(wait) {
                Ok(Message::Request(req)) => {
                    if connection.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    let response = self.request(connection, req)?;
                    connection.sender.send(Message::Response(response))?;
                }
                Ok(Message::Notification(n)) => self.notification(connection, n)?,
                Ok(Message::Response(_)) => {}
                Err(e) if e.is_timeout() => {}
                Err(_) => return Ok(()),
            }
            let now = Instant::now();
            let due: Vec<PathBuf> = self
                .pending
                .iter()
                .filter(|(_, t)| **t <= now)
                .map(|(d, _)| d.clone())
                .collect();
            for dir in due {
                self.pending.remove(&dir);
                self.lint(connection, &dir)?;
            }
        }
    }

    fn notification(&mut self, connection: &Connection, n: Notification) -> Result<()> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                self.set_text(connection, p.text_document.uri, p.text_document.text, true)?;
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                // Full sync: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.set_text(connection, p.text_document.uri, change.text, false)?;
                }
            }
            DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                if let Some(dir) =
                    uri_to_path(&p.text_document.uri).and_then(|p| analysis::skill_dir_of(&p))
                {
                    self.siblings.remove(&dir);
                    self.pending.remove(&dir);
                    self.lint(connection, &dir)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                if let Some(path) = uri_to_path(&p.text_document.uri) {
                    self.docs.remove(&path);
                    if let Some(dir) = analysis::skill_dir_of(&path) {
                        // What is on disk is what counts once the editor lets go.
                        self.pending.remove(&dir);
                        self.lint(connection, &dir)?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Records a document's text; lints its skill now (`open`) or after the debounce.
    fn set_text(
        &mut self,
        connection: &Connection,
        uri: Uri,
        text: String,
        open: bool,
    ) -> Result<()> {
        let Some(path) = uri_to_path(&uri) else {
            return Ok(());
        };
        self.docs.insert(path.clone(), Doc { uri, text });
        let Some(dir) = analysis::skill_dir_of(&path) else {
            return Ok(());
        };
        if open {
            self.pending.remove(&dir);
            self.lint(connection, &dir)
        } else {
            self.pending.insert(dir, Instant::now() + DEBOUNCE);
            Ok(())
        }
    }

    /// Lints one skill and publishes its diagnostics, clearing files that lost theirs.
    fn lint(&mut self, connection: &Connection, dir: &Path) -> Result<()> {
        let settings = match settings_for(dir) {
            Ok(s) => s,
            Err(message) => {
                let params = ShowMessageParams {
                    typ: MessageType::ERROR,
                    message,
                };
                connection
                    .sender
                    .send(Message::Notification(Notification::new(
                        ShowMessage::METHOD.to_string(),
                        params,
                    )))?;
                return Ok(());
            }
        };
        let siblings = self
            .siblings
            .entry(dir.to_path_buf())
            .or_insert_with(|| analysis::sibling_listings(dir));
        let open: HashMap<PathBuf, String> = self
            .docs
            .iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(p, d)| (p.clone(), d.text.clone()))
            .collect();
        let result = analysis::analyse(dir, &open, &settings, siblings, &self.options);
        let before = self.published.remove(dir).unwrap_or_default();
        let mut now = BTreeSet::new();
        for (path, file) in &result.files {
            if file.found.is_empty() && !before.contains(path) {
                continue;
            }
            let Some(uri) = self.uri_of(path) else {
                continue;
            };
            publish(
                connection,
                uri,
                file.found.iter().map(|f| f.lsp.clone()).collect(),
            )?;
            if !file.found.is_empty() {
                now.insert(path.clone());
            }
        }
        for path in before.difference(&now) {
            if result.files.contains_key(path) {
                continue;
            }
            if let Some(uri) = self.uri_of(path) {
                publish(connection, uri, Vec::new())?;
            }
        }
        self.published.insert(dir.to_path_buf(), now);
        self.analyses.insert(dir.to_path_buf(), result);
        Ok(())
    }

    /// The URI the editor knows a file by, or one made from its path.
    fn uri_of(&self, path: &Path) -> Option<Uri> {
        match self.docs.get(path) {
            Some(d) => Some(d.uri.clone()),
            None => path_to_uri(path),
        }
    }

    /// The last lint of the skill holding `uri`, linted first if edits are pending.
    fn analysis_for(
        &mut self,
        connection: &Connection,
        uri: &Uri,
    ) -> Result<Option<(PathBuf, &Analysis)>> {
        let Some(path) = uri_to_path(uri) else {
            return Ok(None);
        };
        let Some(dir) = analysis::skill_dir_of(&path) else {
            return Ok(None);
        };
        if self.pending.remove(&dir).is_some() || !self.analyses.contains_key(&dir) {
            self.lint(connection, &dir)?;
        }
        Ok(self.analyses.get(&dir).map(|a| (path, a)))
    }

    fn request(&mut self, connection: &Connection, req: Request) -> Result<Response> {
        let id: RequestId = req.id.clone();
        match req.method.as_str() {
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = serde_json::from_value(req.params)?;
                let uri = p.text_document.uri;
                let actions: Vec<CodeActionOrCommand> = match self.analysis_for(connection, &uri)? {
                    Some((path, a)) => a
                        .files
                        .get(&path)
                        .map(|f| analysis::code_actions(f, &uri, &p.range))
                        .unwrap_or_default()
                        .into_iter()
                        .map(CodeActionOrCommand::CodeAction)
                        .collect(),
                    None => Vec::new(),
                };
                Ok(Response::new_ok(id, actions))
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = serde_json::from_value(req.params)?;
                let uri = p.text_document_position_params.text_document.uri;
                let pos = p.text_document_position_params.position;
                let hover = match self.analysis_for(connection, &uri)? {
                    Some((path, a)) => a.files.get(&path).and_then(|f| {
                        let offset = LineMap::new(&f.text).offset(pos);
                        analysis::hover(a, &path, offset)
                    }),
                    None => None,
                };
                let hover = hover.map(|value| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    }),
                    range: None,
                });
                Ok(Response::new_ok(id, hover))
            }
            CodeLensRequest::METHOD => {
                let p: lsp_types::CodeLensParams = serde_json::from_value(req.params)?;
                let uri = p.text_document.uri;
                let lenses: Vec<lsp_types::CodeLens> = match self.analysis_for(connection, &uri)? {
                    Some((path, a)) if path == a.manifest => {
                        analysis::code_lens(a).into_iter().collect()
                    }
                    _ => Vec::new(),
                };
                Ok(Response::new_ok(id, lenses))
            }
            _ => Ok(Response::new_err(
                id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("skillpress does not handle {}", req.method),
            )),
        }
    }
}

fn publish(
    connection: &Connection,
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Result<()> {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    };
    connection
        .sender
        .send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )))?;
    Ok(())
}

/// The settings `skillpress lint` would use for this skill: its nearest config file.
fn settings_for(dir: &Path) -> std::result::Result<Settings, String> {
    let file = find_config(dir);
    Settings::load(dir, file.as_deref(), file.is_none(), &Overrides::default()).map_err(|e| {
        let line = e
            .span
            .as_ref()
            .map(|s| {
                format!(
                    ":{}",
                    crate::render::LineIndex::new(&e.source)
                        .position(s.start)
                        .line
                )
            })
            .unwrap_or_default();
        format!(
            "skillpress: {}{line}: {}; skills under it are not linted until it is fixed",
            e.path.display(),
            e.message
        )
    })
}
