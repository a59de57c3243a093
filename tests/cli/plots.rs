//! Plots and `index.html`: every figure as a valid SVG and PNG, the page holding each of them
//! inline, identical bytes for identical runs, `plots = false`, and (with Chromium installed) the
//! page opened alone, away from its run directory, in a real headless browser with every plot
//! rendered.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The figures of a run without a sweep, with a scenario besides the reference.
const FIGURES: [&str; 5] = ["biopsy", "bone_density", "cells", "effects", "markers"];

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 33, "PNG too short");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "the first chunk is not IHDR");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

/// Width and height attributes of an SVG document, after checking that it is one.
fn svg_size(text: &str) -> (u32, u32) {
    let start = text.find("<svg").expect("no <svg element");
    assert!(text.trim_end().ends_with("</svg>"), "the SVG is not closed");
    let tag = &text[start..start + text[start..].find('>').expect("unterminated <svg")];
    let attr = |name: &str| -> u32 {
        let at = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
        tag[at..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("bad {name} in {tag}"))
    };
    (attr("width"), attr("height"))
}

fn smoke_run(tmp: &TempDir, name: &str, args: &[&str]) -> PathBuf {
    let mut all = vec!["--set", "days=60"];
    all.extend_from_slice(args);
    run_ok(tmp, SMOKE, name, &all)
}

#[test]
fn every_figure_is_a_valid_svg_and_png_linked_from_the_page() {
    let tmp = TempDir::new("plots");
    let dir = smoke_run(&tmp, "out", &[]);
    let mut want: Vec<String> = FIGURES.iter().flat_map(|f| [format!("{f}.png"), format!("{f}.svg")]).collect();
    want.sort();
    assert_eq!(entries(&dir.join("plots")), want);
    assert!(!dir.join("plots/trial.svg").exists(), "a trial plot without a [population]");
    let page = read(&dir.join("index.html"));
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"),
        "index.html is not a whole page"
    );
    for f in FIGURES {
        let svg = read(&dir.join(format!("plots/{f}.svg")));
        let png = png_size(&read_bytes(&dir.join(format!("plots/{f}.png"))));
        assert_eq!(svg_size(&svg), png, "{f}: the SVG and the PNG differ in size");
        // A row of two panels (the markers) is 488 pixels high.
        assert!(png.0 >= 800 && png.1 >= 480, "{f}: {png:?} is too small to read");
        assert!(
            svg.contains("smoke.toml") && svg.contains("untreated") && svg.contains("pink1_knockout"),
            "{f}: title or legend missing"
        );
        // The drawing after the data the file carries: the page holds it, inline.
        let drawing = &svg[svg.rfind("</metadata>").expect("the plot's data") + "</metadata>".len()..];
        assert!(page.contains(drawing.trim_end()), "index.html does not hold {f} inline");
        assert!(page.contains(&format!("href=\"plots/{f}.png\"")), "index.html does not link {f}.png");
    }
    assert!(read(&dir.join("plots/bone_density.svg")).contains("time (years)"), "axis label with its unit");
    // The knock-out's window is shaded over time, and the subtitle says what the shading is.
    assert!(read(&dir.join("plots/bone_density.svg")).contains("intervention period"), "shading explained");
    assert!(!read(&dir.join("plots/biopsy.svg")).contains("intervention period"), "nothing shaded per year");
    assert!(
        page.contains("pink1_knockout") && page.contains("effects.csv") && page.contains("effect vs untreated"),
        "{page}"
    );
    assert!(
        !page.contains("http://") && !page.contains("https://") && !page.contains("<img"),
        "index.html must need nothing outside itself"
    );
    assert_eq!(page.matches("<svg class=\"plot\"").count(), FIGURES.len(), "every plot inline, once");
}

#[test]
fn plots_are_identical_for_identical_runs_and_can_be_switched_off() {
    let tmp = TempDir::new("plots-det");
    let a = smoke_run(&tmp, "a", &["--threads", "1"]);
    let b = smoke_run(&tmp, "b", &["--threads", "2"]);
    for f in FIGURES
        .iter()
        .flat_map(|f| [format!("plots/{f}.svg"), format!("plots/{f}.png")])
        .chain(["index.html".into(), "effects.csv".into()])
    {
        assert!(read_bytes(&a.join(&f)) == read_bytes(&b.join(&f)), "{f} differs between 1 and 2 threads");
    }
    let off = smoke_run(&tmp, "off", &["--set", "plots=false"]);
    let want: Vec<&str> = RUN_FILES.iter().copied().filter(|f| *f != "plots" && *f != "index.html").collect();
    assert_eq!(entries(&off), want, "plots = false writes no plots and no page");
    assert!(read(&off.join("config.toml")).contains("plots = false"));
    assert!(
        read_bytes(&off.join("effects.csv")) == read_bytes(&a.join("effects.csv")),
        "plots do not change the results"
    );
}

/// The Chromium binary: `BMU_SIM_CHROMIUM`, else the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BMU_SIM_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    std::env::split_paths(&path).flat_map(|d| names.map(|n| d.join(n))).find(|p| p.is_file())
}

/// The `<body …>` tag of the page after Chromium loaded it (images, inline script and all).
fn rendered_body(browser: &Path, page: &Path, tmp: &TempDir, profile: &str) -> String {
    let profile = tmp.join(profile);
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
        ])
        .args(["--disable-component-update", "--disable-sync", "--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("start chromium");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let start = dom.find("<body").unwrap_or_else(|| panic!("no <body> in the rendered page:\n{dom}"));
    dom[start..start + dom[start..].find('>').expect("unterminated <body")].to_string()
}

#[test]
fn a_real_browser_renders_every_plot_of_the_page() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("BMU_SIM_REQUIRE_BROWSER").is_none(),
            "BMU_SIM_REQUIRE_BROWSER is set but no Chromium was found"
        );
        eprintln!("skipped: no Chromium on PATH (apt-get install chromium; .ci/run does)");
        return;
    };
    let tmp = TempDir::new("browser");
    let dir = smoke_run(&tmp, "out", &[]);
    // The page alone, away from its plots/: it is self-contained.
    let alone = tmp.join("alone");
    std::fs::create_dir(&alone).expect("mkdir");
    let page = read(&dir.join("index.html"));
    std::fs::write(alone.join("index.html"), &page).expect("copy the page");
    let body = rendered_body(&browser, &alone.join("index.html"), &tmp, "profile-1");
    let n = FIGURES.len();
    assert!(body.contains(&format!("data-plots=\"{n}\"")), "{body}");
    assert!(body.contains(&format!("data-plots-rendered=\"{n}\"")), "not every plot rendered: {body}");
    // The check can fail: a plot that is not laid out is counted out.
    let hidden = page.replacen("<svg class=\"plot\"", "<svg class=\"plot\" style=\"display:none\"", 1);
    std::fs::write(alone.join("index.html"), hidden).expect("write the page");
    let body = rendered_body(&browser, &alone.join("index.html"), &tmp, "profile-2");
    let rendered = format!("data-plots-rendered=\"{}\"", n - 1);
    assert!(body.contains(&rendered), "a hidden plot was counted as rendered: {body}");
}
