//! Compiled kernels of Glemsel's detector. Each one returns exactly what the pure-Python
//! code it replaces returns (detectors/ keeps that code as the reference and the fallback;
//! tests/detectors/test_native_equal.py runs both on the corpus and on hostile text).

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

mod cues;
mod letters;

/// Python's `[^\W\d_]` for one character (letters.rs is generated from Python's re).
#[inline]
fn is_letter(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return c.is_ascii_alphabetic();
    }
    letters::LETTERS
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[inline]
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

#[inline]
fn is_joiner(c: char) -> bool {
    c == '\'' || c == '\u{2019}' || c == '-'
}

/// The spans (code-point start, code-point end, byte start, byte end) of what
/// `name_cues.WORD.finditer` finds: L M* (L M*)* (['’-] L M* (L M*)*)*, L a letter and
/// M a combining mark U+0300–U+036F.
fn spans(text: &str) -> Vec<(usize, usize, usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |k: usize| if k < n { chars[k].0 } else { text.len() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if !is_letter(chars[i].1) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            while j < n && (is_letter(chars[j].1) || is_mark(chars[j].1)) {
                j += 1;
            }
            if j + 1 < n && is_joiner(chars[j].1) && is_letter(chars[j + 1].1) {
                j += 2;
            } else {
                break;
            }
        }
        out.push((i, j, byte_at(i), byte_at(j)));
        i = j;
    }
    out
}

/// `[(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]`, or None when the text
/// is not valid UTF-8 (lone surrogates): the caller then runs the Python code.
#[pyfunction]
fn word_spans<'py>(py: Python<'py>, text: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyList>>> {
    let s = match text.to_str() {
        Ok(s) => s,
        Err(_) => return Ok(None),
    };
    let found = spans(s);
    let mut items: Vec<Bound<'py, PyTuple>> = Vec::with_capacity(found.len());
    for (a, b, ba, bb) in found {
        items.push(PyTuple::new(
            py,
            [
                a.into_pyobject(py)?.into_any(),
                b.into_pyobject(py)?.into_any(),
                PyString::new(py, &s[ba..bb]).into_any(),
            ],
        )?);
    }
    Ok(Some(PyList::new(py, items)?))
}

#[pymodule]
fn glemsel_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(word_spans, m)?)?;
    m.add_function(wrap_pyfunction!(cues::cues, m)?)?;
    m.add_class::<cues::CueTable>()?;
    Ok(())
}
