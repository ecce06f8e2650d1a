from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("answers/<slug:slug>/", views.article_detail, name="detail"),
    path("answers/<slug:slug>/questions/", views.article_questions, name="questions"),
    path("cancer/", views.cancer_type_list, name="cancer_type_list"),
    path("cancer/<slug:slug>/", views.cancer_type_detail, name="cancer_type"),
    path("cancer/<slug:slug>/answers/", views.cancer_type_answers, name="cancer_type_answers"),
    path("cancer/<slug:slug>/answers/<slug:topic_slug>/", views.cancer_type_answers, name="cancer_type_topic"),
    path("cancer/<slug:slug>/feed.rss", feeds.CancerTypeFeed(), name="cancer_type_feed_rss"),
    path("cancer/<slug:slug>/feed.atom", feeds.CancerTypeAtomFeed(), name="cancer_type_feed_atom"),
    path("search/", views.search, name="search"),
    path("feed.rss", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed.atom", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
]
