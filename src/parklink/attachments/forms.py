"""The upload form: the file, its kind and a note, and which record it goes on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from parklink.attachments.models import Kind
from parklink.core.forms import set_choices


class UploadForm(forms.Form):
    target = forms.ChoiceField(label=_("附加到"))
    file = forms.FileField(label=_("文件"))
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices, initial=Kind.OTHER)
    description = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        targets: Sequence[tuple[str, str]],
        allowed: str,
        max_bytes: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", list(targets))
        if len(targets) == 1:
            self.fields["target"].widget = forms.HiddenInput()
            self.fields["target"].initial = targets[0][0]
        self.fields["file"].help_text = _("可上传:%(allowed)s;单个文件不超过 %(limit)s。") % {
            "allowed": allowed,
            "limit": filesizeformat(max_bytes),
        }
