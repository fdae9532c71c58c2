"""Writes: publishing and withdrawing releases (`publishing`), each one transaction, all or nothing;
uploads (`uploads`: check a file, keep it as a draft, publish the draft) and what an upload was read
as (`as_read`); the summary of live cells every publish and withdrawal keeps (`live_cells`).

Only what callers outside the package use is re-exported here.
"""

from .as_read import (
    hidden_sheet_words,
    layout_words,
    left_as_on_record_words,
    restated_words,
    share_summary,
    tables_as_read,
)
from .publishing import (
    AlreadyPublished,
    NothingToPublish,
    PublishRefused,
    StalePreview,
    WithdrawRefused,
    compare_with_live,
    publish_release,
    record_code_list_change,
    refuse_unless_published,
    withdraw_release,
)
from .uploads import (
    check_draft,
    check_upload,
    create_draft,
    keep_draft,
    preview_rows,
    preview_units,
    publish_checked,
    publish_draft,
    publisher_refusal,
    refuse_unless_draft,
    template_code_rows,
    template_names,
    totals_rows,
    upload_code_lists,
)

__all__ = [
    "AlreadyPublished",
    "NothingToPublish",
    "PublishRefused",
    "StalePreview",
    "WithdrawRefused",
    "check_draft",
    "check_upload",
    "compare_with_live",
    "create_draft",
    "hidden_sheet_words",
    "keep_draft",
    "layout_words",
    "left_as_on_record_words",
    "preview_rows",
    "preview_units",
    "publish_checked",
    "publish_draft",
    "publish_release",
    "publisher_refusal",
    "record_code_list_change",
    "refuse_unless_draft",
    "refuse_unless_published",
    "restated_words",
    "share_summary",
    "tables_as_read",
    "template_code_rows",
    "template_names",
    "totals_rows",
    "upload_code_lists",
    "withdraw_release",
]
