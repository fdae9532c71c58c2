"""PDFs read back as a reader gets them, with poppler: the text (pdftotext), the pages and their size
(pdfinfo), and each page drawn (pdftoppm) to see that nothing crosses the sheet's margins."""

import re
import subprocess


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_sizes(pdf):
    """(pages, (width, height)) of a PDF, as pdfinfo gives them: strings, in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"Pages:\s+(\d+)", info).group(1), re.search(
        r"Page size:\s+([\d.]+) x ([\d.]+) pts", info
    ).groups()


def inked_margins(pdf, folder, *, margin_mm=10):
    """The pages' left, right and top strips `margin_mm` wide that have ink on them, as (page file,
    box): [] when nothing crosses into them. Drawn at 50 dpi (10 mm is about 20 pixels); every sheet
    here keeps at least 16 mm on those sides."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / "page")], check=True)
    margin = round(margin_mm / 25.4 * 50)
    inked = []
    for path in sorted(folder.glob("page-*.png")):
        image = Image.open(path).convert("L")
        width, height = image.size
        strips = [(0, 0, margin, height), (width - margin, 0, width, height), (0, 0, width, margin)]
        inked += [(path.name, box) for box in strips if image.crop(box).getextrema()[0] <= 245]
    return inked
