//! The command line: serve the app (the default) or import the directory.

use holidays::config::Settings;
use std::process::ExitCode;

const USAGE: &str = "\
holidays: holiday-request approvals for Databricks Apps

USAGE:
    holidays                          serve the app (configuration from the environment; see README)
    holidays import-directory FILE    add or update people from a CSV file with the columns
                                      email, display_name, manager_email
    holidays print-grants ROLE [--read-only]
                                      print the GRANTs that give another Postgres role access
                                      to the app's schema (read-write unless --read-only)
    holidays help                     show this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve(settings),
        ["import-directory", file] => holidays::import_directory(settings, file),
        ["print-grants", role] => holidays::print_grants(&settings, role, false),
        ["print-grants", role, "--read-only"] | ["print-grants", "--read-only", role] => {
            holidays::print_grants(&settings, role, true)
        }
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments {args:?}\n\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn serve(settings: Settings) -> Result<(), String> {
    let rocket = holidays::build(settings)?;
    rocket::execute(rocket.launch()).map(drop).map_err(|e| format!("the server stopped: {e}"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("holidays: {message}");
    ExitCode::FAILURE
}
