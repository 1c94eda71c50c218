"""Word segmentation: the private jieba tokenizer with the sector and agency lexicon, and the stop list."""

from __future__ import annotations

import jieba

from policycompare.extract.sectors import lexicon
from policycompare.parse import segment


def test_lexicon_terms_and_agency_names_stay_one_word():
    # the global jieba cuts them; the project's tokenizer keeps them whole
    assert jieba.lcut("婴幼儿配方乳粉") != ["婴幼儿配方乳粉"]
    assert segment.words("加强婴幼儿配方乳粉质量监管")[1] == "婴幼儿配方乳粉"
    assert "市场监管局" in segment.words("由市场监管局牵头")
    assert "市场监管局" in segment.user_words() and "省市场监管局" in segment.user_words()


def test_the_global_tokenizer_is_left_alone():
    segment.words("婴幼儿配方乳粉")
    assert segment.tokenizer() is not jieba.dt
    assert jieba.lcut("婴幼儿配方乳粉") != ["婴幼儿配方乳粉"]


def test_content_tokens_drop_stopwords_numbers_punctuation_and_single_characters():
    tokens = segment.content_tokens("市场监管局牵头,推进装修装饰材料和鞋类产品质量提升,2020年合格率达到90%以上。")
    assert tokens[:3] == ["市场监管局", "装修装饰材料", "鞋类"]
    assert not any(t.isdigit() or len(t) < 2 and t not in lexicon() for t in tokens)
    assert not set(tokens) & segment.stopwords()
    assert "," not in tokens and "2020" not in tokens and "和" not in tokens


def test_a_one_character_lexicon_term_is_kept():
    assert "鞋" in lexicon()
    assert "鞋" in segment.content_tokens("提升鞋、服装质量")


def test_words_keep_every_character_in_order():
    text = "推进消费品标准和质量提升,(一)加强标准制定。"
    assert "".join(segment.words(text)) == text
