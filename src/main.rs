use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// Classification and parsing allocate many small strings per block; glibc's allocator
// took a sixth of a registry lint's time in a profile, mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = skillpress::cli::Cli::parse();
    // The language server writes to stdout from its own thread: it must not find the
    // stdout lock held below.
    if matches!(cli.command, skillpress::cli::Command::Server) {
        return match skillpress::server::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: language server: {e}");
                ExitCode::from(skillpress::cli::TOOL_ERROR)
            }
        };
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let result = skillpress::cli::run(cli, &mut out, &mut err).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        // A reader that stopped reading (`| head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            ExitCode::from(skillpress::cli::TOOL_ERROR)
        }
    }
}
