"""Counts are drawn with whole-number ticks, whatever the domain's chart."""
import pytest

from consortium.dashboards import charts


def test_small_counts_have_integer_ticks_and_large_ones_plotly_s_own(app):
    with app.test_request_context():
        small = charts.bars(["医保", "公交"], [1, 3])["layout"]["yaxis"]
        assert small["dtick"] == 1 and small["tickformat"] == ",d" and small["rangemode"] == "tozero"
        large = charts.bars(["医保", "公交"], [40, 300])["layout"]["yaxis"]
        assert "dtick" not in large and large["tickformat"] == ",d"
        # a stack's total decides: two months of 3 + 3 arrivals stack to 6, the running total reaches 9
        months = charts.stacked_months(["2025-04", "2025-05"], {"a": [3, 0], "b": [3, 3]}, {"a": "数据集团", "b": "场景小组"},
                                       {}, cumulative=[6, 9])["layout"]["yaxis"]
        assert "dtick" not in months
        assert charts.stacked_months(["2025-04"], {"a": [2]}, {"a": "数据集团"}, {})["layout"]["yaxis"]["dtick"] == 1
        assert charts.target_bars(["公交"], [1], [3])["layout"]["yaxis"]["dtick"] == 1
        assert charts.line_months(["2025-09"], [3], name="协议")["layout"]["yaxis"]["dtick"] == 1


def test_an_axis_widened_to_a_target_keeps_few_ticks(app):
    from consortium.core.charts import count_axis, widen_count_axis
    axis = widen_count_axis(count_axis(3, title={"text": "数据空间"}), 100)
    assert axis["range"] == [0, pytest.approx(115)] and "dtick" not in axis and axis["title"] == {"text": "数据空间"}
    assert widen_count_axis(count_axis(2), 5)["dtick"] == 1
