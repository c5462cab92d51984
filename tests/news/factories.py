import datetime

import factory
from django.utils import timezone

from news.models import Article, Column, Source


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")
    order = factory.Sequence(int)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"来源{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"律师协会召开第{n}次会议")
    column = factory.LazyFunction(lambda: Column.objects.get(slug="association-news"))
    source = factory.LazyFunction(lambda: Source.objects.get(name="本站原创"))
    author = "市律协"
    published_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=1, minutes=n)
    )
    body = factory.Sequence(lambda n: f"<p>本网讯 第{n}次会议在本会召开。</p>")
    status = Article.Status.PUBLISHED
