//! A corner plot of a weighted posterior sample: a histogram of each parameter on the diagonal,
//! each pair's particles below it (darker for a heavier weight), every axis spanning the whole
//! prior. Positions are on the prior's scale (the unit interval the prior maps onto, so a
//! log-uniform parameter is drawn in decades) and the ticks are labelled in the parameter's units.

use super::render::{colour, register_font};
use crate::inference::Prior;
use plotters::prelude::*;

/// Pixels: one cell of the grid, and the title band.
const CELL: u32 = 260;
const TITLE_HEIGHT: u32 = 40;
/// Histogram bins across the prior's range.
const BINS: usize = 20;
/// Pixels: a particle's radius.
const DOT: i32 = 3;
/// Ticks per axis.
const TICKS: usize = 4;
/// The opacity of the lightest particle (the heaviest is opaque).
const LIGHTEST: f64 = 0.15;

/// The corner plot of `points` (each particle's position on the unit cube and its weight) under
/// `priors`, as an SVG document titled `title`.
pub fn svg(title: &str, priors: &[Prior], points: &[(Vec<f64>, f64)]) -> Result<String, String> {
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    register_font();
    let d = priors.len();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size(d)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        root.draw_text(title, &("sans-serif", 18).into_font().color(&BLACK), (16, 10)).map_err(|e| err(&e))?;
        let (_, grid) = root.split_vertically(TITLE_HEIGHT);
        let cells = grid.split_evenly((d, d));
        let heaviest = points.iter().map(|p| p.1).fold(0.0, f64::max);
        for (n, cell) in cells.iter().enumerate() {
            let (row, col) = (n / d, n % d);
            if col > row {
                continue;
            }
            let drawn = if row == col {
                histogram(cell, &priors[col], points, col)
            } else {
                scatter(cell, (&priors[col], &priors[row]), points, (col, row), heaviest)
            };
            drawn.map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(text)
}

/// The plot's size in pixels for `d` parameters.
pub fn size(d: usize) -> (u32, u32) {
    let side = CELL * d as u32;
    (side, TITLE_HEIGHT + side)
}

/// θ at position `u` of `prior`, short.
fn tick(prior: &Prior, u: f64) -> String {
    format!("{:.3}", prior.from_unit(u))
}

type Area<'a, DB> = DrawingArea<DB, plotters::coord::Shift>;

fn histogram<DB: DrawingBackend>(
    area: &Area<DB>,
    prior: &Prior,
    points: &[(Vec<f64>, f64)],
    k: usize,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut mass = [0.0f64; BINS];
    let total: f64 = points.iter().map(|p| p.1).sum();
    for (u, w) in points {
        let bin = ((u[k] * BINS as f64) as usize).min(BINS - 1);
        mass[bin] += w / total;
    }
    let top = mass.iter().copied().fold(0.0, f64::max).max(f64::MIN_POSITIVE) * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(0.0..1.0, 0.0..top)?;
    let formatter = |u: &f64| tick(prior, *u);
    chart
        .configure_mesh()
        .x_desc(prior.name.as_str())
        .x_labels(TICKS)
        .x_label_formatter(&formatter)
        .y_labels(3)
        .label_style(("sans-serif", 11))
        .light_line_style(WHITE)
        .draw()?;
    let width = 1.0 / BINS as f64;
    let bars = mass.iter().enumerate().map(|(b, &m)| {
        let x = b as f64 * width;
        Rectangle::new([(x, 0.0), (x + width, m)], colour(0).filled())
    });
    chart.draw_series(bars)?;
    Ok(())
}

fn scatter<DB: DrawingBackend>(
    area: &Area<DB>,
    (px, py): (&Prior, &Prior),
    points: &[(Vec<f64>, f64)],
    (kx, ky): (usize, usize),
    heaviest: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    let (fx, fy) = (|u: &f64| tick(px, *u), |u: &f64| tick(py, *u));
    chart
        .configure_mesh()
        .x_desc(px.name.as_str())
        .y_desc(py.name.as_str())
        .x_labels(TICKS)
        .y_labels(TICKS)
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .label_style(("sans-serif", 11))
        .light_line_style(WHITE)
        .draw()?;
    let dots = points.iter().map(|(u, w)| {
        let alpha = LIGHTEST + (1.0 - LIGHTEST) * if heaviest > 0.0 { w / heaviest } else { 1.0 };
        Circle::new((u[kx], u[ky]), DOT, colour(0).mix(alpha).filled())
    });
    chart.draw_series(dots)?;
    Ok(())
}
