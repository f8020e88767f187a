"""The spec of the demo site that ``finews demo`` generates and crawls.

Invented news in the shapes of SOURCE.md §2 and §4; three articles reuse real codes and
sentences of the reference posts. Nothing generated is kept: ``finews demo`` builds the site into a temporary
folder; ``python -m finews.demo FOLDER`` writes it where you want to look at it.
"""

from __future__ import annotations

from datetime import datetime

from finews.demo.build import (
    ArticleSpec,
    ColumnSpec,
    Listing,
    RecordSpec,
    SiteSpec,
    StreamSpec,
    china_time,
)
from storage.times import CHINA_TZ

README = """\
# finews demo site

Generated pages in the shapes of the East Money pages finews crawls (SOURCE.md §2, §4): column
list pages (`/a/<column>.html`, `/a/<column>_2.html`, and in the 2026 shape
`/news/<column>.html`), article pages in the new, the old and the 2026 layout
(`/a/<18 digits>.html`, `/news/<n>,<18 digits>.html`; a long one continues on
`/a/<18 digits>_2.html`), the share page and content-API answers
(`/NewsData/GetNewsText.do?id=NW…`, stored as `NewsData/GetNewsText/NW….json`), the
rolling-news API (`/comm/web/getFastNewsList?…&sortEnd=…&req_trace=…`, two pages stored as
`comm/web/getFastNewsList/<cursor or newest>.json`), and `robots.txt`. The text is invented financial news (a few sentences come from the reference
posts); it is not East Money's content.

`site.json` is the truth: what a crawl of this site must store, and the crawl clock (`now`) that
the year-less list-page times assume.

Written by `python -m finews.demo FOLDER` from `finews/demo/demo_data.py` (deterministic, byte
for byte); `finews demo` builds it into a temporary folder and crawls it. Serve a folder with
`python -m finews.demo.server FOLDER` (prints its URL).
"""

COLUMNS = (
    ColumnSpec("cywjh", "要闻精华"),
    ColumnSpec("czqyw", "证券要闻"),
    ColumnSpec("cgnjj", "国内经济"),
    ColumnSpec("cgspl", "股市评论", folder="news", style="2026"),
)

YW, ZQ, GN, SP = (Listing("cywjh"), Listing("czqyw"), Listing("cgnjj"), Listing("cgspl"))

# The rolling news (7×24): two articles only there, and three that are also on columns.
FLASHES = (
    ArticleSpec(
        title="A股早盘：三大指数集体高开 基建板块活跃",
        media="证券时报",
        published=china_time("2022-02-08 09:31"),
        summary="三大指数集体高开，沪指涨0.3%，基建、建材板块活跃。",
        paragraphs=(
            "三大指数集体高开，沪指涨0.3%，深成指涨0.4%，创业板指涨0.5%。",
            "盘面上，基建、建材板块活跃，{stock:1.601668:中国建筑}高开逾2%。",
        ),
        layout="2026",
    ),
    ArticleSpec(
        title="人民币对美元中间价报6.3542 调升8个基点",
        media="中国证券报",
        published=china_time("2022-02-08 09:16"),
        summary="人民币对美元中间价报6.3542，较前一交易日调升8个基点。",
        paragraphs=("来自中国外汇交易中心的数据显示，人民币对美元中间价报6.3542，调升8个基点。",),
    ),
)


def _articles() -> tuple[ArticleSpec, ...]:
    a = ArticleSpec
    t = china_time
    return (
        a(
            code="202202072267575261",
            title="南昌坚定不移实施数字经济“一号工程”",
            media="南昌日报",
            published=t("2022-02-07 09:09"),
            summary="近年来，南昌坚定不移实施数字经济“一号工程”，为我市经济社会高质量发展注入新动力。",
            paragraphs=(
                "超9000家企业站上云端、工厂车间实现智能生产，点击手机屏幕轻松办理个税，刷脸即可完成"
                "在线支付，“数据大脑”指挥城市交通……以互联网、物联网、大数据、人工智能等新技术为代表"
                "的数字经济，正迸发出引领时代的巨大能量。",
                "2021年1-11月，全市数字经济产业营收入达1537.4亿元，同比增长17.1%，"
                "预计全年营收入达2000亿元。",
                "## 系统推进数字经济工作",
                "截至2021年11月底，全市累计开通5G基站12350个，已基本实现移动通信网络全覆盖。",
            ),
            listings=(Listing("cgnjj", "rel"), YW),
        ),
        a(
            code="202201212257099936",
            title="昇兴股份：2021年净利同比预增1117%-1233%",
            media="证券时报",
            media_markup="{bk:90.BK0473:证券}时报",
            published=t("2022-01-21 18:05"),
            summary="昇兴股份1月21日晚间公告，预计2021年净利1.66亿元-1.82亿元。",
            paragraphs=(
                "{stock:0.002752:昇兴股份}(002752)1月21日晚间{info:3332:公告}，预计2021年净利"
                "1.66亿元-1.82亿元，同比增1116.9%-1232.73%。上年同期，公司盈利1364.12万元。",
                "公司主要产品的市场需求和订单同比大幅增长，尤其是新增能量饮料客户，订单增长态势显著。",
            ),
            hidden_p=True,
            stock_chart="0.002752",
            layout="old",
            news_column=1354,
            listings=(Listing("czqyw", "news"),),
        ),
        a(
            code="202201072239307540",
            title="资管圈风向又变！雪球结构产品再迎强监管 信托公司雪球发行被叫停 影响多大？",
            media="券商中国",
            published=t("2022-01-07 08:14"),
            summary="1月5日，部分涉及衍生品业务的信托公司收到监管窗口指导，暂停雪球类产品的发行。",
            paragraphs=(
                "资管新规刚刚迈入落地元年，去年在资管圈风靡了一年的“雪球结构产品”就再次迎来强监管。",
                "{info:3306:券商}中国获悉，1月5日，部分涉及衍生品业务的信托公司(主要是雪球类)收到"
                "监管窗口指导，暂停涉及雪球类券商收益凭证产品的发行。",
                "## 影响有多大？",
                "提醒各{key:90.BK0473:证券}公司应持续强化风险意识，切实加强相关业务条线合规风控体系建设。",
            ),
            layout="old",
            news_column=1353,
            listings=(Listing("czqyw", "news"),),
        ),
        a(
            title="央行开展1000亿元逆回购操作 实现净投放",
            media="证券时报",
            published=t("2022-02-08 09:20"),
            summary="央行8日以利率招标方式开展了1000亿元7天期逆回购操作，中标利率2.10%。",
            paragraphs=(
                "人民{bk:90.BK0475:银行}8日发布公告称，为维护银行体系流动性合理充裕，以利率招标方式"
                "开展了1000亿元7天期逆回购操作，中标利率2.10%。",
                "业内人士表示，节后现金逐步回流，流动性有望保持平稳。",
            ),
            listings=(ZQ,),
        ),
        a(
            title="春节假期国内旅游出游2.51亿人次 恢复至疫前同期七成以上",
            media="央视新闻客户端",
            published=t("2022-02-06 18:30"),
            summary="经文化和旅游部数据中心测算，2022年春节假期全国国内旅游出游2.51亿人次。",
            paragraphs=(
                "经文化和旅游部数据中心测算，2022年春节假期7天，全国国内旅游出游2.51亿人次，"
                "按可比口径恢复至疫前同期的73.9%。",
                "实现国内旅游收入2891.98亿元，冰雪旅游、乡村旅游持续升温。",
            ),
            listings=(GN,),
        ),
        a(
            title="北向资金节后首日净买入超百亿元 银行股获加仓",
            media="财联社",
            published=t("2022-02-07 15:40"),
            summary="虎年首个交易日，北向资金全天净买入超百亿元，银行板块获大幅加仓。",
            paragraphs=(
                "虎年首个交易日，北向资金全天净买入超百亿元，其中{key:90.BK0475:银行}板块获大幅加仓。",
                "{stock:1.600036:招商银行}、{stock:1.601166:兴业银行}等个股获北向资金净买入居前。",
            ),
            listings=(Listing("czqyw", "rel"), YW),
        ),
        a(
            title="泉州：一季度重点项目集中开工 总投资逾千亿元",
            media="泉州晚报",
            published=t("2022-02-07 11:02"),
            summary="泉州市一季度重点项目集中开工活动举行，总投资逾千亿元。",
            paragraphs=(
                "泉州市一季度重点项目集中开工活动7日举行，共有项目156个，总投资逾千亿元，"
                "涵盖先进制造、基础设施、社会民生等领域。",
                "{img:/images/qz-projects.png}",
                "其中产业项目占比超过六成，将进一步夯实实体经济根基。",
            ),
            listings=(GN,),
        ),
        a(
            title="多家券商发布2月金股 看好稳增长主线",
            media="上海证券报",
            published=t("2022-02-06 20:15"),
            summary="多家券商发布2月金股组合，稳增长相关的基建、地产链和银行股受到关注。",
            paragraphs=(
                "多家{info:3306:券商}近日发布2月金股组合，稳增长相关的基建、地产链和银行股受到关注。",
                "分析人士认为，节后市场风险偏好有望逐步修复。",
            ),
            listings=(ZQ,),
        ),
        a(
            title="重庆：2021年全市地区生产总值增长8.3%",
            media="重庆日报",
            published=t("2022-02-05 10:00"),
            summary="2021年重庆实现地区生产总值27894.02亿元，比上年增长8.3%。",
            paragraphs=(
                "2021年重庆实现地区生产总值27894.02亿元，比上年增长8.3%，两年平均增长6.1%。",
                "规模以上工业增加值比上年增长10.7%，汽车、电子产业保持较快增长。",
            ),
            listings=(GN,),
        ),
        a(
            title="银保监会：推动银行保险机构加大制造业中长期贷款投放",
            media="中国银行保险报",
            published=t("2022-02-06 09:00"),
            summary="银保监会要求银行保险机构加大制造业中长期贷款投放，助力稳增长。",
            paragraphs=(
                "银保监会日前召开会议，要求{key:90.BK0475:银行}{bk:90.BK0474:保险}机构加大"
                "制造业中长期贷款投放，助力稳增长。",
                "会议强调，要坚持房子是用来住的、不是用来炒的定位。",
            ),
            listings=(YW,),
        ),
        a(
            title="虎年首个交易日 两市成交额突破万亿元",
            media="每日经济新闻",
            published=t("2022-02-07 15:05"),
            summary="虎年首个交易日，沪深两市成交额突破万亿元，三大指数集体收涨。",
            paragraphs=(
                "虎年首个交易日，沪深两市成交额突破万亿元，三大指数集体收涨，沪指涨逾2%。",
                "盘面上，基建、煤炭、{bk:90.BK0473:证券}等板块涨幅居前。",
            ),
            listings=(YW,),
        ),
        a(
            title="新能源汽车购置税减免政策延续实施 产业链迎利好",
            media="每日经济新闻",
            published=t("2022-02-04 16:45"),
            summary="新能源汽车免征车辆购置税政策延续实施，产业链上下游有望受益。",
            paragraphs=(
                "新能源汽车免征车辆购置税政策延续实施至2022年底，产业链上下游有望受益。",
                "机构预计今年国内新能源汽车销量有望突破500万辆。",
            ),
            listings=(GN,),
        ),
        a(
            title="公募基金春节后密集发行 权益类产品占比回升",
            media="上海证券报",
            published=t("2022-02-07 08:30"),
            summary="春节后首周，公募基金新发产品数量明显增加，权益类产品占比回升。",
            paragraphs=(
                "春节后首周，公募{info:3293:基金}新发产品数量明显增加，权益类产品占比回升。",
                "业内人士表示，市场调整后配置价值逐步显现。",
            ),
            listings=(ZQ,),
        ),
        a(
            title="冬奥经济升温 冰雪消费持续火热",
            media="央视新闻客户端",
            published=t("2022-02-05 19:20"),
            summary="北京冬奥会开幕以来，冰雪运动装备、冬奥特许商品等消费持续火热。",
            paragraphs=(
                "北京冬奥会开幕以来，冰雪运动装备、冬奥特许商品等消费持续火热。",
                "多地冰雪场馆客流明显增长，带动餐饮、住宿等相关消费。",
            ),
            listings=(YW,),
        ),
        a(
            title="南昌：今年将新开工亿元以上项目300个",
            media="南昌日报",
            published=t("2022-02-03 10:10"),
            summary="南昌今年计划新开工亿元以上项目300个，持续扩大有效投资。",
            paragraphs=(
                "南昌今年计划新开工亿元以上项目300个，持续扩大有效投资。",
                "项目涵盖电子信息、汽车及新能源汽车、生物医药等重点产业。",
            ),
            listings=(GN,),
        ),
        a(
            title="券商春节后首份研报：A股有望迎来“开门红”",
            media="券商中国",
            published=t("2022-02-06 21:00"),
            summary="多家券商认为，春节后A股有望迎来“开门红”，关注稳增长主线。",
            paragraphs=(
                "多家{info:3306:券商}认为，春节后A股有望迎来“开门红”，关注稳增长主线。",
                "历史数据显示，春节后首周A股上涨概率较高。",
            ),
            listings=(Listing("czqyw", "bare"),),
        ),
        a(
            title="财联社早知道：多部门部署稳增长 专项债发行提速",
            media="财联社",
            published=t("2022-02-08 07:00"),
            summary="多部门近日密集部署稳增长工作，地方政府专项债发行明显提速。",
            paragraphs=(
                "多部门近日密集部署稳增长工作，地方政府专项债发行明显提速。",
                "1月份全国发行新增专项债券超过4800亿元。",
            ),
            listings=(YW,),
        ),
        a(
            title="沪深交易所节后首周受理IPO企业逾20家",
            media="证券时报",
            published=t("2022-02-08 08:00"),
            summary="春节后首周，沪深交易所受理IPO企业逾20家，注册制改革稳步推进。",
            paragraphs=(
                "春节后首周，沪深交易所受理IPO企业逾20家，注册制改革稳步推进。",
                "受理企业主要集中在高端装备、新材料和生物医药等领域。",
            ),
            listings=(ZQ,),
        ),
        a(
            title="泉州石化产业链加快延链补链",
            media="泉州晚报",
            published=t("2022-02-04 09:30"),
            summary="泉州加快石化产业延链补链，推动产业向高端化发展。",
            paragraphs=(
                "泉州加快石化产业延链补链，推动产业向高端化、集群化发展。",
                "2021年泉州石化产业产值突破千亿元。",
            ),
            listings=(GN,),
        ),
        a(
            title="重庆两江新区1月份签约项目40个",
            media="重庆日报",
            published=t("2022-02-03 14:20"),
            summary="重庆两江新区1月份签约项目40个，协议投资额超300亿元。",
            paragraphs=(
                "重庆两江新区1月份签约项目40个，协议投资额超300亿元。",
                "签约项目涉及智能网联新能源汽车、新一代信息技术等产业。",
            ),
            listings=(GN,),
        ),
        a(
            title="保险业2021年原保费收入4.49万亿元",
            media="中国银行保险报",
            published=t("2022-02-05 16:00"),
            summary="2021年保险业累计实现原保险保费收入4.49万亿元，同比增长4.05%。",
            paragraphs=(
                "2021年保险业累计实现原保险保费收入4.49万亿元，同比增长4.05%。",
                "保险业总资产24.9万亿元，较年初增长7.44%。",
            ),
            listings=(YW,),
        ),
        a(
            title="统计局：1月份制造业PMI为50.1% 保持扩张区间",
            media="央视新闻客户端",
            published=t("2022-02-03 09:30"),
            summary="1月份制造业采购经理指数为50.1%，继续位于临界点以上。",
            paragraphs=(
                "国家统计局发布数据，1月份制造业采购经理指数为50.1%，继续位于临界点以上。",
                "非制造业商务活动指数为51.1%，比上月上升0.4个百分点。",
            ),
            listings=(GN,),
        ),
        a(
            title="多只白酒股节后走强 机构称板块估值处于合理区间",
            media="每日经济新闻",
            published=t("2022-02-07 13:50"),
            summary="节后首个交易日，多只白酒股走强，机构认为板块估值处于合理区间。",
            paragraphs=(
                "节后首个交易日，{stock:1.600519:贵州茅台}、{stock:0.000858:五粮液}等白酒股走强。",
                "机构认为，白酒板块估值已回落至合理区间。",
            ),
            listings=(ZQ,),
        ),
        a(
            title="上海出台稳增长政策措施 支持中小微企业发展",
            media="上海证券报",
            published=t("2022-02-07 19:00"),
            summary="上海出台稳增长政策措施，加大对中小微企业的支持力度。",
            paragraphs=(
                "上海出台稳增长政策措施，加大对中小微企业的支持力度。",
                "措施包括减税降费、稳岗补贴和融资担保等多个方面。",
            ),
            listings=(YW,),
        ),
    )


def _column_2026() -> tuple[ArticleSpec, ...]:
    """股市评论, a /news/ column in the 2026 shape; its first article runs over three pages."""
    a = ArticleSpec
    t = china_time
    return (
        a(
            title="虎年A股开局观察：稳增长主线贯穿全年",
            media="第一财经",
            published=t("2022-02-07 20:30"),
            summary="虎年首个交易日A股开门红，稳增长、消费复苏与科技成长三条主线值得关注。",
            paragraphs=(
                "虎年首个交易日A股开门红，沪指涨逾2%，两市成交额突破万亿元。",
                "## 一、稳增长",
                "基建、地产链在政策支持下有望持续走强，{bk:90.BK0473:证券}板块弹性较大。",
                "## 二、消费复苏",
                "春节消费数据亮眼，旅游、餐饮等线下消费有望继续修复。",
                "## 三、科技成长",
                "半导体、新能源等科技成长板块调整后配置价值显现。",
            ),
            listings=(SP,),
            layout="2026",
            parts=3,
        ),
        a(
            title="北向资金连续三日净流入 加仓金融股",
            media="第一财经",
            published=t("2022-02-07 17:10"),
            summary="北向资金连续三个交易日净流入，金融股获明显加仓。",
            paragraphs=(
                "北向资金连续三个交易日净流入，金融股获明显加仓。",
                "{stock:1.601318:中国平安}、{stock:1.600036:招商银行}获北向资金净买入居前。",
            ),
            listings=(SP,),
            layout="2026",
        ),
        a(
            title="机构：节后市场风险偏好有望修复",
            media="证券时报",
            published=t("2022-02-06 19:40"),
            summary="多家机构认为，节后市场风险偏好有望逐步修复。",
            paragraphs=("多家机构认为，节后市场风险偏好有望逐步修复，关注估值合理的优质公司。",),
            listings=(SP,),
        ),
    )


def _rolling(articles: tuple[ArticleSpec, ...]) -> StreamSpec:
    """Two pages of the rolling-news API, newest first, each record to the second."""
    by_title = {a.title: a for a in articles}
    seconds = {
        FLASHES[0].title: 42,
        "央行开展1000亿元逆回购操作 实现净投放": 17,
        FLASHES[1].title: 3,
        "沪深交易所节后首周受理IPO企业逾20家": 51,
        "财联社早知道：多部门部署稳增长 专项债发行提速": 26,
        "上海出台稳增长政策措施 支持中小微企业发展": 9,
    }
    records = tuple(
        RecordSpec(article=by_title[title], seconds=second) for title, second in seconds.items()
    )
    return StreamSpec("fastnews", "102", records, pages=2)


def demo_site_spec() -> SiteSpec:
    """The spec of the packaged demo site."""
    articles = (*_articles(), *_column_2026(), *FLASHES)
    return SiteSpec(
        name="finews demo site",
        now=datetime(2022, 2, 8, 10, 0, tzinfo=CHINA_TZ),
        columns=COLUMNS,
        articles=articles,
        readme=README,
        disallow=(),
        streams=(_rolling(articles),),
    )
